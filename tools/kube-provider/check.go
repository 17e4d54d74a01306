package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Check validates a resource's inputs offline and fills in metadata.name
// when the program left it out.
func (p *kubeProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	urn := resource.URN(req.GetUrn())
	gvk, err := gvkFromToken(typeOf(req.GetType(), req.GetUrn()))
	if err != nil {
		return nil, err
	}
	news, err := unmarshalProps(req.GetNews(), "inputs")
	if err != nil {
		return nil, err
	}
	olds, err := unmarshalProps(req.GetOlds(), "old inputs")
	if err != nil {
		return nil, err
	}
	name := req.GetName()
	if name == "" {
		name = urn.Name()
	}
	failures := checkInputs(gvk, news, olds, name, req.GetRandomSeed(), string(urn))
	inputs, err := marshalProps(news, "inputs")
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

// checkInputs validates news in place (adding apiVersion/kind/name where
// they are implied) and returns what is wrong, by property path.
func checkInputs(gvk schema.GroupVersionKind, news, olds resource.PropertyMap, resourceName string, seed []byte, urn string) []*pulumirpc.CheckFailure {
	var failures []*pulumirpc.CheckFailure
	fail := func(path, format string, args ...any) {
		failures = append(failures, &pulumirpc.CheckFailure{Property: path, Reason: fmt.Sprintf(format, args...)})
	}

	wantAPIVersion := apiVersionOf(gvk.GroupVersion())
	for key, want := range map[string]string{"apiVersion": wantAPIVersion, "kind": gvk.Kind} {
		s, present, known := lookupString(news, key)
		switch {
		case !present:
			news[resource.PropertyKey(key)] = resource.NewStringProperty(want)
		case known && s != want:
			fail(key, "%s is %q but the resource type %s requires %q", key, s, gvk.Kind, want)
		}
	}

	mv, hasMeta := news["metadata"]
	if !hasMeta || unwrap(mv).IsNull() {
		mv = resource.NewObjectProperty(resource.PropertyMap{})
		news["metadata"] = mv
	}
	if isUnknown(mv) {
		return failures // nothing to validate or name yet
	}
	if !unwrap(mv).IsObject() {
		fail("metadata", "metadata must be an object")
		return failures
	}
	meta := unwrap(mv).ObjectValue()

	name, hasName, nameKnown := lookupString(meta, "name")
	generated := false
	if !hasName {
		name = chooseName(meta, olds, resourceName, seed, urn)
		meta["name"] = resource.NewStringProperty(name)
		hasName, generated = true, true
	}
	if hasName && nameKnown {
		for _, msg := range nameProblems(gvk, name) {
			if generated {
				fail("metadata.name", "the generated name %q (from resource name %q) is not a valid %s name: %s; "+
					"set metadata.name or use a lower-case resource name", name, resourceName, gvk.Kind, msg)
				continue
			}
			fail("metadata.name", "%q is not a valid %s name: %s", name, gvk.Kind, msg)
		}
	}
	if ns, present, known := lookupString(meta, "namespace"); present && known {
		for _, msg := range validation.IsDNS1123Label(ns) {
			fail("metadata.namespace", "%q is not a valid namespace name: %s", ns, msg)
		}
	}
	failures = append(failures, mapProblems(meta, "labels", true)...)
	failures = append(failures, mapProblems(meta, "annotations", false)...)
	if gvk.Group == "" && gvk.Kind == "Secret" {
		failures = append(failures, secretDataProblems(news)...)
	}
	return failures
}

// chooseName picks metadata.name for an object whose inputs have none: the
// old auto-generated name if there is one (so an update keeps its object),
// else a new one, and records that it was generated.
func chooseName(meta, olds resource.PropertyMap, resourceName string, seed []byte, urn string) string {
	setAnnotation(meta, autonamedAnnotation, "true")
	if oldName, ok, known := lookupString(olds, "metadata", "name"); ok && known && oldName != "" {
		if flag, _, _ := lookupString(olds, "metadata", "annotations", autonamedAnnotation); flag == "true" {
			return oldName
		}
	}
	if prefix, ok, known := lookupString(meta, "generateName"); ok && known && prefix != "" {
		return generatedName(prefix, seed, urn)
	}
	return autoName(resourceName, seed, urn)
}

func setAnnotation(meta resource.PropertyMap, key, value string) {
	av, ok := meta["annotations"]
	if !ok || !unwrap(av).IsObject() {
		if ok && isUnknown(av) {
			return // the program computes its annotations; leave them alone
		}
		av = resource.NewObjectProperty(resource.PropertyMap{})
		meta["annotations"] = av
	}
	unwrap(av).ObjectValue()[resource.PropertyKey(key)] = resource.NewStringProperty(value)
}

// nameProblems applies the API server's naming rules for the kinds whose
// rules differ from the general DNS-1123 subdomain.
func nameProblems(gvk schema.GroupVersionKind, name string) []string {
	if gvk.Group == "" {
		switch gvk.Kind {
		case "Namespace":
			return validation.IsDNS1123Label(name)
		case "Service":
			return validation.IsDNS1035Label(name)
		}
	}
	return validation.IsDNS1123Subdomain(name)
}

// mapProblems validates metadata.labels / metadata.annotations.
func mapProblems(meta resource.PropertyMap, field string, isLabels bool) []*pulumirpc.CheckFailure {
	v, ok := meta[resource.PropertyKey(field)]
	if !ok || isUnknown(v) || unwrap(v).IsNull() {
		return nil
	}
	var failures []*pulumirpc.CheckFailure
	fail := func(path []any, format string, args ...any) {
		failures = append(failures, &pulumirpc.CheckFailure{Property: pathString(path), Reason: fmt.Sprintf(format, args...)})
	}
	if !unwrap(v).IsObject() {
		fail([]any{"metadata", field}, "metadata.%s must be a map of strings", field)
		return failures
	}
	for k, e := range unwrap(v).ObjectValue() {
		path := []any{"metadata", field, string(k)}
		for _, msg := range validation.IsQualifiedName(strings.ToLower(string(k))) {
			fail(path, "%q is not a valid %s key: %s", string(k), strings.TrimSuffix(field, "s"), msg)
		}
		e = unwrap(e)
		if e.IsComputed() {
			continue
		}
		if !e.IsString() {
			fail(path, "%s values must be strings, got %s", strings.TrimSuffix(field, "s"), e.TypeString())
			continue
		}
		if isLabels {
			for _, msg := range validation.IsValidLabelValue(e.StringValue()) {
				fail(path, "%q is not a valid label value: %s", e.StringValue(), msg)
			}
		}
	}
	return failures
}

// secretDataProblems: Secret.data values must be base64, a mistake that
// otherwise only shows up as an opaque 400 from the API server.
// Values are never quoted in messages: they are secret.
func secretDataProblems(news resource.PropertyMap) []*pulumirpc.CheckFailure {
	v, ok := lookup(news, "data")
	if !ok || !v.IsObject() {
		return nil
	}
	var failures []*pulumirpc.CheckFailure
	for k, e := range v.ObjectValue() {
		e = unwrap(e)
		if !e.IsString() {
			continue
		}
		if _, err := base64.StdEncoding.DecodeString(e.StringValue()); err != nil {
			failures = append(failures, &pulumirpc.CheckFailure{
				Property: pathString([]any{"data", string(k)}),
				Reason:   "Secret data values must be base64-encoded (use stringData for plain text)",
			})
		}
	}
	return failures
}
