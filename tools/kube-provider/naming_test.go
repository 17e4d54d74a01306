package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestAutoNameDeterministic(t *testing.T) {
	seed := []byte{1, 2, 3, 4, 5}
	a := autoName("web", seed, "urn:a")
	b := autoName("web", seed, "urn:b") // the URN only matters without a seed
	if a != b {
		t.Fatalf("same seed gave %q and %q", a, b)
	}
	if !regexp.MustCompile(`^web-[0-9a-f]{8}$`).MatchString(a) {
		t.Fatalf("name %q is not <name>-<8 lowercase hex>", a)
	}
	if c := autoName("web", []byte{9}, "urn:a"); c == a {
		t.Fatalf("different seeds gave the same name %q", c)
	}
	if autoName("web", nil, "urn:a") != autoName("web", nil, "urn:a") {
		t.Fatal("URN fallback is not deterministic")
	}
	if autoName("web", nil, "urn:a") == autoName("web", nil, "urn:b") {
		t.Fatal("URN fallback ignores the URN")
	}
}

func TestAutoNameLength(t *testing.T) {
	long := strings.Repeat("a", 300)
	if n := autoName(long, []byte{1}, ""); len(n) != 253 {
		t.Fatalf("long name has length %d, want 253", len(n))
	}
}

func TestGeneratedName(t *testing.T) {
	n := generatedName("job-", []byte{7}, "")
	if !regexp.MustCompile(`^job-[0-9a-f]{5}$`).MatchString(n) || n != generatedName("job-", []byte{7}, "") {
		t.Fatalf("generated name %q is not a deterministic prefix plus 5 hex", n)
	}
}
