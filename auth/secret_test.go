package auth

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestNewSecret(t *testing.T) {
	hexRE := regexp.MustCompile(`^[0-9a-f]{64}$`)
	seen := map[string]bool{}
	for range 1000 {
		v, h := NewSecret()
		if len(v) != 43 {
			t.Fatalf("value %q: %d characters, want 43", v, len(v))
		}
		raw, err := base64.RawURLEncoding.Strict().DecodeString(v)
		if err != nil || len(raw) != SecretBytes {
			t.Fatalf("value %q is not %d bytes of unpadded base64url: %v", v, SecretBytes, err)
		}
		if !hexRE.MatchString(h) || h != HashSecret(v) {
			t.Fatalf("hash %q of %q is not its sha256 hex", h, v)
		}
		if seen[v] {
			t.Fatalf("value %q returned twice", v)
		}
		seen[v] = true
	}
}

func TestNewToken(t *testing.T) {
	v, h, shown := NewToken()
	if !strings.HasPrefix(v, TokenPrefix) || len(v) != len(TokenPrefix)+43 {
		t.Fatalf("token %q: want %q and 43 characters", v, TokenPrefix)
	}
	if h != HashSecret(v) {
		t.Errorf("hash %q is not HashSecret of the whole value", h)
	}
	if shown != v[:TokenShownLen] || len(shown) != 8 {
		t.Errorf("shown prefix %q of %q", shown, v)
	}
	v2, h2, _ := NewToken()
	if v2 == v || h2 == h {
		t.Error("two tokens are equal")
	}
}

func TestHashSecret(t *testing.T) {
	// sha256("abc"), FIPS 180-2's first example.
	if got := HashSecret("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashSecret(abc) = %s", got)
	}
}
