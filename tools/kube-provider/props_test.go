package main

import (
	"errors"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestToPlain(t *testing.T) {
	pm := obj(map[string]any{"replicas": 3, "ratio": 0.5, "labels": map[string]any{"a": "b"}, "list": []any{1, "x", true}})
	pm["password"] = resource.MakeSecret(resource.NewStringProperty("s3cret"))
	plain, err := toPlainMap(pm)
	if err != nil {
		t.Fatal(err)
	}
	if plain["replicas"] != int64(3) || plain["ratio"] != 0.5 || plain["password"] != "s3cret" {
		t.Fatalf("plain = %#v", plain)
	}
	if l := plain["list"].([]any); l[0] != int64(1) || l[1] != "x" || l[2] != true {
		t.Fatalf("list = %#v", l)
	}
	pm["later"] = unknown
	if _, err := toPlainMap(pm); !errors.Is(err, errUnknown) {
		t.Fatalf("unknown value: err = %v", err)
	}
}

func TestOutputsProtectSecrets(t *testing.T) {
	live := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": "s", "managedFields": []any{map[string]any{"manager": "x"}}},
		"data":     map[string]any{"pw": "czNjcmV0"},
	}}
	inputs := obj(map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "s"}})
	inputs["stringData"] = resource.NewObjectProperty(obj(map[string]any{"pw": "s3cret"})) // not marked by the program
	out := outputsOf(live, inputs)
	if !out["data"].IsSecret() {
		t.Fatal("Secret data is not secret in outputs")
	}
	if _, ok := lookup(out, "metadata", "managedFields"); ok {
		t.Fatal("managedFields kept")
	}
	ins := out[inputsKey].ObjectValue()
	if !ins["stringData"].IsSecret() {
		t.Fatal("stringData is not secret in __inputs")
	}
	if inputs["stringData"].IsSecret() {
		t.Fatal("outputsOf modified the caller's inputs")
	}
}

func TestOutputsFollowInputSecrets(t *testing.T) {
	live := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"},
		"data": map[string]any{"token": "abc", "plain": "x"},
		"spec": map[string]any{"containers": []any{map[string]any{"env": []any{map[string]any{"value": "abc"}}}}},
	}}
	inputs := obj(map[string]any{"data": map[string]any{"plain": "x"}, "spec": map[string]any{}})
	inputs["data"].ObjectValue()["token"] = resource.MakeSecret(resource.NewStringProperty("abc"))
	inputs["spec"].ObjectValue()["containers"] = resource.NewArrayProperty([]resource.PropertyValue{
		resource.NewObjectProperty(obj(map[string]any{"env": []any{}})),
	})
	inputs["spec"].ObjectValue()["containers"].ArrayValue()[0].ObjectValue()["env"] = resource.NewArrayProperty(
		[]resource.PropertyValue{resource.MakeSecret(resource.NewObjectProperty(obj(map[string]any{"value": "abc"})))})
	out := outputsOf(live, inputs)
	data := out["data"].ObjectValue()
	if !data["token"].IsSecret() || data["plain"].IsSecret() {
		t.Fatalf("data secrets: %v", data)
	}
	if !out["spec"].ObjectValue()["containers"].IsSecret() {
		t.Fatal("a secret inside a list did not make the list secret")
	}
}
