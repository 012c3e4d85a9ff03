package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// SecretBytes is the entropy of every secret: 256 bits, so a stored hash cannot be reversed
// by guessing and a fast hash (sha256) is enough — unlike passwords, which need argon2id.
const SecretBytes = 32

// TokenPrefix starts every API token value, so a leaked token is recognisable (by a person, or
// by a secret scanner) as mppmap's.
const TokenPrefix = "mpp_"

// TokenShownLen is how many leading characters of a token are kept in clear (prefix plus four
// random characters) to tell a user's tokens apart in lists; 24 random bits reveal nothing
// useful about the other 232.
const TokenShownLen = 8

// NewSecret returns a fresh random value (base64url without padding, 43 characters) to hand to
// the client — a session cookie, a CSRF secret — and its hash, the only form that is stored.
func NewSecret() (value, hash string) {
	var b [SecretBytes]byte
	_, _ = rand.Read(b[:]) // never fails (Go 1.24+): it crashes the program instead
	value = base64.RawURLEncoding.EncodeToString(b[:])
	return value, HashSecret(value)
}

// NewToken is NewSecret for API tokens: the value carries TokenPrefix. It also returns the
// shown prefix (see TokenShownLen) to store beside the hash.
func NewToken() (value, hash, shown string) {
	v, _ := NewSecret()
	value = TokenPrefix + v
	return value, HashSecret(value), value[:TokenShownLen]
}

// HashSecret returns the lower-case sha256 hex of value, as stored and looked up.
func HashSecret(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}
