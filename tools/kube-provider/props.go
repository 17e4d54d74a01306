package main

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// inputsKey holds a copy of the inputs inside the outputs, so that Diff and
// refresh still have them when the engine does not send old inputs.
const inputsKey = "__inputs"

// errUnknown is returned when a value needed now is not known yet (preview).
var errUnknown = errors.New("value is not known yet")

// unmarshalProps decodes a gRPC struct, keeping unknowns and secrets so the
// provider can reason about them instead of silently losing them.
func unmarshalProps(s *structpb.Struct, label string) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	pm, err := plugin.UnmarshalProperties(s, plugin.MarshalOptions{
		Label: label, KeepUnknowns: true, KeepSecrets: true, KeepResources: true, SkipNulls: true,
	})
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", label, err)
	}
	return pm, nil
}

// marshalProps encodes a property map for the engine, keeping unknowns and secrets.
func marshalProps(pm resource.PropertyMap, label string) (*structpb.Struct, error) {
	s, err := plugin.MarshalProperties(pm, plugin.MarshalOptions{
		Label: label, KeepUnknowns: true, KeepSecrets: true, KeepResources: true, SkipNulls: true,
	})
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", label, err)
	}
	return s, nil
}

// unwrap strips secret wrappers (and Output values) off a value, returning what is inside.
func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput():
			o := v.OutputValue()
			if !o.Known {
				return resource.MakeComputed(resource.NewStringProperty(""))
			}
			v = o.Element
		default:
			return v
		}
	}
}

// isUnknown reports whether v (after unwrapping) is an unknown value.
func isUnknown(v resource.PropertyValue) bool {
	return unwrap(v).IsComputed()
}

// toPlain converts a property value into JSON-like Go values (what the
// Kubernetes client takes). Secrets are unwrapped; unknowns are an error.
// Whole numbers become int64 so that they encode and compare like the
// integers the API server returns.
func toPlain(v resource.PropertyValue) (any, error) {
	v = unwrap(v)
	switch {
	case v.IsNull():
		return nil, nil
	case v.IsBool():
		return v.BoolValue(), nil
	case v.IsNumber():
		n := v.NumberValue()
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), nil
		}
		return n, nil
	case v.IsString():
		return v.StringValue(), nil
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, 0, len(arr))
		for _, e := range arr {
			pe, err := toPlain(e)
			if err != nil {
				return nil, err
			}
			out = append(out, pe)
		}
		return out, nil
	case v.IsObject():
		return toPlainMap(v.ObjectValue())
	case v.IsComputed():
		return nil, errUnknown
	case v.IsResourceReference():
		// A resource passed as a value: use its ID when it has one, else its URN.
		ref := v.ResourceReferenceValue()
		if id, ok := ref.IDString(); ok {
			return id, nil
		}
		return string(ref.URN), nil
	}
	return nil, fmt.Errorf("values of type %s cannot be sent to Kubernetes", v.TypeString())
}

// toPlainMap is toPlain for a whole map.
func toPlainMap(pm resource.PropertyMap) (map[string]any, error) {
	out := make(map[string]any, len(pm))
	for k, e := range pm {
		pe, err := toPlain(e)
		if err != nil {
			if errors.Is(err, errUnknown) {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			return nil, err
		}
		out[string(k)] = pe
	}
	return out, nil
}

// fromPlain converts a live object (as returned by the API server) to a property map.
func fromPlain(obj map[string]any) resource.PropertyMap {
	return resource.NewPropertyMapFromMap(obj)
}

// lookup walks a path of object keys through a property map, unwrapping
// secrets on the way. ok is false when some step is missing or not an object.
func lookup(pm resource.PropertyMap, path ...string) (resource.PropertyValue, bool) {
	cur := resource.NewObjectProperty(pm)
	for _, p := range path {
		cur = unwrap(cur)
		if !cur.IsObject() {
			return resource.PropertyValue{}, false
		}
		next, ok := cur.ObjectValue()[resource.PropertyKey(p)]
		if !ok {
			return resource.PropertyValue{}, false
		}
		cur = next
	}
	return unwrap(cur), true
}

// lookupString returns the string at path; known is false for unknowns.
func lookupString(pm resource.PropertyMap, path ...string) (s string, present, known bool) {
	v, ok := lookup(pm, path...)
	if !ok || v.IsNull() {
		return "", false, true
	}
	if v.IsComputed() {
		return "", true, false
	}
	if v.IsString() {
		return v.StringValue(), true, true
	}
	return "", true, true
}

// secretPaths lists where secrets occur in a map. A secret inside a list is
// reported at the list itself, because list positions may not survive the
// round trip through the API server (defaulting, reordering).
func secretPaths(pm resource.PropertyMap) [][]string {
	var out [][]string
	var walk func(v resource.PropertyValue, path []string)
	walk = func(v resource.PropertyValue, path []string) {
		switch {
		case v.IsSecret():
			out = append(out, append([]string(nil), path...))
		case v.IsObject():
			for k, e := range v.ObjectValue() {
				walk(e, append(path, string(k)))
			}
		case v.IsArray():
			for _, e := range v.ArrayValue() {
				if e.ContainsSecrets() {
					out = append(out, append([]string(nil), path...))
					return
				}
			}
		}
	}
	for k, v := range pm {
		walk(v, []string{string(k)})
	}
	return out
}

// markSecret wraps the value at path in pm as a secret, if it exists.
func markSecret(pm resource.PropertyMap, path []string) {
	if len(path) == 0 {
		return
	}
	key := resource.PropertyKey(path[0])
	v, ok := pm[key]
	if !ok {
		return
	}
	if len(path) == 1 {
		if !v.IsSecret() {
			pm[key] = resource.MakeSecret(v)
		}
		return
	}
	inner := unwrap(v)
	if inner.IsObject() {
		markSecret(inner.ObjectValue(), path[1:])
	}
}

// secretFieldsOf lists the fields that are always secret for a kind.
func secretFieldsOf(group, kind string) [][]string {
	if group == "" && kind == "Secret" {
		return [][]string{{"data"}, {"stringData"}}
	}
	return nil
}

// protectSecrets marks as secret every field of outputs that was secret in
// inputs, plus the kind's always-secret fields (Secret data), so no credential
// reaches the state file or the console in clear.
func protectSecrets(outputs, inputs resource.PropertyMap, group, kind string) {
	for _, p := range secretPaths(inputs) {
		markSecret(outputs, p)
	}
	for _, p := range secretFieldsOf(group, kind) {
		markSecret(outputs, p)
		markSecret(inputs, p)
	}
}

// pathString renders a path the way the engine's property paths look:
// spec.selector, metadata.annotations["pulumi.com/skipAwait"], spec.containers[0].image.
func pathString(path []any) string {
	return resource.PropertyPath(path).String()
}

// dottedPath is a short human form used in messages.
func dottedPath(path []string) string { return strings.Join(path, ".") }
