package main

import (
	"crypto/sha256"
	"encoding/hex"
)

// autonamedAnnotation marks objects whose metadata.name the provider chose.
// Check uses it to keep that name on later updates (instead of inventing a new
// one, which would force a replacement); the upstream provider uses the same
// annotation, so state moves between the two without surprises.
const autonamedAnnotation = "pulumi.com/autonamed"

// autoName returns "<base>-<8 hex>", derived only from the engine's random
// seed for this resource. The engine hands the same seed to the Check of a
// preview and of the update that follows, so both pick the same name. Without
// a seed (very old engines) the URN stands in, which is still deterministic.
func autoName(base string, seed []byte, urn string) string {
	h := sha256.New()
	if len(seed) > 0 {
		h.Write(seed)
	} else {
		h.Write([]byte(urn))
	}
	suffix := hex.EncodeToString(h.Sum(nil))[:8]
	// Leave room for the suffix within the 253-character subdomain limit.
	if max := 253 - len(suffix) - 1; len(base) > max {
		base = base[:max]
	}
	return base + "-" + suffix
}

// generatedName implements metadata.generateName offline: server-side apply
// needs a concrete name, so the provider appends a deterministic 5-character
// suffix itself, the same length the API server would use.
func generatedName(prefix string, seed []byte, urn string) string {
	h := sha256.New()
	h.Write([]byte("generateName:"))
	if len(seed) > 0 {
		h.Write(seed)
	} else {
		h.Write([]byte(urn))
	}
	return prefix + hex.EncodeToString(h.Sum(nil))[:5]
}
