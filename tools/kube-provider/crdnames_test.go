package main

import (
	"reflect"
	"testing"
)

func TestRenameSchemaKeys(t *testing.T) {
	in := map[string]any{"spec": map[string]any{"versions": []any{map[string]any{"schema": map[string]any{
		"openAPIV3Schema": map[string]any{
			"type": "object", "x_kubernetes_preserve_unknown_fields": true,
			"properties": map[string]any{
				"x_kubernetes_list_type": map[string]any{"type": "string"}, // a user's field name: kept
				"items":                  map[string]any{"type": "array", "x_kubernetes_list_type": "set"},
			},
		}}}}}}
	want := map[string]any{"spec": map[string]any{"versions": []any{map[string]any{"schema": map[string]any{
		"openAPIV3Schema": map[string]any{
			"type": "object", "x-kubernetes-preserve-unknown-fields": true,
			"properties": map[string]any{
				"x_kubernetes_list_type": map[string]any{"type": "string"},
				"items":                  map[string]any{"type": "array", "x-kubernetes-list-type": "set"},
			},
		}}}}}}
	got := renameSchemaKeys(in, sdkToAPIKey)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("to API:\n got %v\nwant %v", got, want)
	}
	if back := renameSchemaKeys(got, apiToSDKKey); !reflect.DeepEqual(back, in) {
		t.Fatalf("round trip:\n got %v\nwant %v", back, in)
	}
}
