package main

import (
	"context"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Diff compares the program's new inputs with the inputs last applied. Only
// inputs are compared: fields the cluster defaulted or other controllers own
// are not the program's business, and comparing them would show perpetual diffs.
func (p *kubeProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	gvk, err := gvkFromToken(typeOf(req.GetType(), req.GetUrn()))
	if err != nil {
		return nil, err
	}
	oldOutputs, err := unmarshalProps(req.GetOlds(), "old outputs")
	if err != nil {
		return nil, err
	}
	news, err := unmarshalProps(req.GetNews(), "new inputs")
	if err != nil {
		return nil, err
	}
	var oldInputs resource.PropertyMap
	if req.GetOldInputs() != nil {
		if oldInputs, err = unmarshalProps(req.GetOldInputs(), "old inputs"); err != nil {
			return nil, err
		}
	}
	return computeDiff(gvk, oldInputsOf(oldInputs, oldOutputs), news, oldOutputs, p.defaultNamespace()), nil
}

// oldInputsOf picks the best record of what was applied last time: the
// engine's old inputs, else the __inputs copy in the outputs, else the
// outputs themselves without what the server adds.
func oldInputsOf(oldInputs, oldOutputs resource.PropertyMap) resource.PropertyMap {
	if len(oldInputs) > 0 {
		return oldInputs
	}
	if v, ok := oldOutputs[inputsKey]; ok && unwrap(v).IsObject() {
		return unwrap(v).ObjectValue()
	}
	out := oldOutputs.Copy()
	delete(out, inputsKey)
	delete(out, "status")
	return out
}

// change is one leaf difference between old and new inputs.
type change struct {
	path []any // keys (string) and list positions (int)
	kind pulumirpc.PropertyDiff_Kind
}

// computeDiff is the pure decision behind Diff.
func computeDiff(gvk schema.GroupVersionKind, olds, news, oldOutputs resource.PropertyMap, defaultNS string) *pulumirpc.DiffResponse {
	var changes []change
	diffValues(nil, resource.NewObjectProperty(olds), resource.NewObjectProperty(news), &changes)

	id := identityChange(olds, news, oldOutputs, defaultNS)
	detailed := map[string]*pulumirpc.PropertyDiff{}
	var replaces, diffs []string
	seenTop := map[string]bool{}
	seenReplace := map[string]bool{}
	hasNamespaceChange := false

	for _, c := range changes {
		kind := c.kind
		if replaceReason(gvk, c.path, olds, news, id) {
			kind += pulumirpc.PropertyDiff_ADD_REPLACE - pulumirpc.PropertyDiff_ADD
			if key := pathString(c.path); !seenReplace[key] {
				seenReplace[key] = true
				replaces = append(replaces, key)
			}
		}
		if isNamespacePath(c.path) {
			hasNamespaceChange = true
		}
		detailed[pathString(c.path)] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
		if top, ok := c.path[0].(string); ok && !seenTop[top] {
			seenTop[top] = true
			diffs = append(diffs, top)
		}
	}
	// The object would move namespaces although the inputs did not change
	// (the provider's default namespace changed): that is a replacement too,
	// or an update would create a copy and orphan the original.
	if id.namespaceChanged && !hasNamespaceChange {
		key := "metadata.namespace"
		detailed[key] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_UPDATE_REPLACE, InputDiff: true}
		replaces = append(replaces, key)
		if !seenTop["metadata"] {
			diffs = append(diffs, "metadata")
		}
	}
	if len(detailed) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}
	}
	sort.Strings(diffs)
	sort.Strings(replaces)
	resp := &pulumirpc.DiffResponse{
		Changes:         pulumirpc.DiffResponse_DIFF_SOME,
		Diffs:           diffs,
		Replaces:        replaces,
		DetailedDiff:    detailed,
		HasDetailedDiff: true,
	}
	// A replacement that keeps its name and namespace must delete first, or
	// the new object would collide with the old one. Auto-named objects are
	// the exception: on replacement the engine re-runs Check without old
	// inputs, which picks a fresh name, so create-before-delete works and
	// avoids downtime. The flag is set for in-place updates too, because a
	// replaceOnChanges option can turn them into replacements in the engine.
	autonamed, _, _ := lookupString(news, "metadata", "annotations", autonamedAnnotation)
	resp.DeleteBeforeReplace = id.sameIdentity && autonamed != "true"
	return resp
}

func isNamespacePath(path []any) bool {
	return len(path) >= 1 && path[0] == "metadata" && (len(path) == 1 || path[1] == "namespace")
}

// diffValues appends the leaf differences between old and new under path.
func diffValues(path []any, old, new resource.PropertyValue, out *[]change) {
	old, new = unwrap(old), unwrap(new)
	if old.IsObject() && new.IsObject() {
		om, nm := old.ObjectValue(), new.ObjectValue()
		keys := map[resource.PropertyKey]bool{}
		for k := range om {
			keys[k] = true
		}
		for k := range nm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, string(k))
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			o, inOld := om[resource.PropertyKey(k)]
			n, inNew := nm[resource.PropertyKey(k)]
			p := append(append([]any(nil), path...), k)
			switch {
			case inOld && inNew:
				diffValues(p, o, n, out)
			case inNew && !unwrap(n).IsNull():
				*out = append(*out, change{p, pulumirpc.PropertyDiff_ADD})
			case inOld && !unwrap(o).IsNull():
				*out = append(*out, change{p, pulumirpc.PropertyDiff_DELETE})
			}
		}
		return
	}
	if old.IsArray() && new.IsArray() {
		oa, na := old.ArrayValue(), new.ArrayValue()
		for i := 0; i < len(oa) || i < len(na); i++ {
			p := append(append([]any(nil), path...), i)
			switch {
			case i < len(oa) && i < len(na):
				diffValues(p, oa[i], na[i], out)
			case i < len(na):
				*out = append(*out, change{p, pulumirpc.PropertyDiff_ADD})
			default:
				*out = append(*out, change{p, pulumirpc.PropertyDiff_DELETE})
			}
		}
		return
	}
	if !valuesEqual(old, new) {
		*out = append(*out, change{path, pulumirpc.PropertyDiff_UPDATE})
	}
}

// valuesEqual compares two values by content, looking through secrets.
// Unknown values are never equal to anything: they may change.
func valuesEqual(a, b resource.PropertyValue) bool {
	a, b = unwrap(a), unwrap(b)
	switch {
	case a.IsComputed() || b.IsComputed():
		return false
	case a.IsNull() || b.IsNull():
		return a.IsNull() && b.IsNull()
	case a.IsObject() && b.IsObject():
		am, bm := a.ObjectValue(), b.ObjectValue()
		for k, av := range am {
			bv, ok := bm[k]
			if !ok {
				if !unwrap(av).IsNull() {
					return false
				}
				continue
			}
			if !valuesEqual(av, bv) {
				return false
			}
		}
		for k, bv := range bm {
			if _, ok := am[k]; !ok && !unwrap(bv).IsNull() {
				return false
			}
		}
		return true
	case a.IsArray() && b.IsArray():
		aa, ba := a.ArrayValue(), b.ArrayValue()
		if len(aa) != len(ba) {
			return false
		}
		for i := range aa {
			if !valuesEqual(aa[i], ba[i]) {
				return false
			}
		}
		return true
	case a.IsResourceReference() && b.IsResourceReference():
		return a.ResourceReferenceValue().Equal(b.ResourceReferenceValue())
	}
	return a.DeepEquals(b)
}

// identity describes how the object's name and namespace move between old and new.
type identity struct {
	nameChanged      bool // different or not known yet
	namespaceChanged bool // different or not known yet
	sameIdentity     bool // known to be the same object name and namespace
}

// identityChange compares where the object lives now (from the outputs,
// which record the live namespace) with where the new inputs put it.
func identityChange(olds, news, oldOutputs resource.PropertyMap, defaultNS string) identity {
	oldName, _, _ := lookupString(oldOutputs, "metadata", "name")
	if oldName == "" {
		oldName, _, _ = lookupString(olds, "metadata", "name")
	}
	newName, _, newNameKnown := lookupString(news, "metadata", "name")

	liveNS, _, _ := lookupString(oldOutputs, "metadata", "namespace")
	oldInputNS, _, _ := lookupString(olds, "metadata", "namespace")
	newInputNS, newNSPresent, newNSKnown := lookupString(news, "metadata", "namespace")
	oldNS := liveNS
	if oldNS == "" {
		oldNS = oldInputNS
	}
	// Cluster-scoped objects have no namespace live and none in their inputs;
	// a namespace the program adds to them would be ignored, not a move.
	isNamespaced := oldNS != ""
	newNS := ""
	if isNamespaced {
		newNS = newInputNS
		if !newNSPresent || newNS == "" {
			newNS = defaultNS
		}
	}

	id := identity{
		nameChanged:      !newNameKnown || newName != oldName,
		namespaceChanged: isNamespaced && (!newNSKnown || newNS != oldNS),
	}
	id.sameIdentity = !id.nameChanged && !id.namespaceChanged
	return id
}

// replaceReason decides whether a change at path forces a replacement.
func replaceReason(gvk schema.GroupVersionKind, path []any, olds, news resource.PropertyMap, id identity) bool {
	if len(path) == 0 {
		return false
	}
	switch path[0] {
	case "kind":
		return true
	case "apiVersion":
		return groupChanged(olds, news)
	case "metadata":
		if len(path) == 1 {
			return id.nameChanged || id.namespaceChanged
		}
		switch path[1] {
		case "name":
			return id.nameChanged
		case "namespace":
			return id.namespaceChanged
		}
		return false
	}
	rule := immutableFields(gvk, olds)
	segs := pathSegments(path)
	for _, e := range rule.except {
		if len(segs) >= len(e) && patternPrefix(e, segs) {
			return false
		}
	}
	for _, r := range rule.fields {
		if patternPrefix(r, segs) {
			return true
		}
	}
	return false
}

// groupChanged: moving to another API version of the same group is an
// update (the server converts); moving to another group is another object.
func groupChanged(olds, news resource.PropertyMap) bool {
	o, _, _ := lookupString(olds, "apiVersion")
	n, _, known := lookupString(news, "apiVersion")
	if !known {
		return true
	}
	og, _ := schema.ParseGroupVersion(o)
	ng, _ := schema.ParseGroupVersion(n)
	return og.Group != ng.Group
}

// pathSegments renders list positions as "*" so rules can match any element.
func pathSegments(path []any) []string {
	segs := make([]string, len(path))
	for i, p := range path {
		if s, ok := p.(string); ok {
			segs[i] = s
		} else {
			segs[i] = "#"
		}
	}
	return segs
}

// patternPrefix reports whether pattern and path agree on their common
// prefix: the change is inside the immutable field, or replaces a parent of it.
func patternPrefix(pattern, path []string) bool {
	for i := 0; i < len(pattern) && i < len(path); i++ {
		if pattern[i] != "*" && pattern[i] != path[i] {
			return false
		}
	}
	return true
}
