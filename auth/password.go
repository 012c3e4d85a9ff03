// Package auth holds the pure parts of mppmap's accounts: password hashing and policy, random
// secrets for sessions, CSRF and API tokens, and the login throttle. It does no I/O — no SQL
// (package data stores what this package produces) and no HTTP (the web surfaces call it) — so
// every rule here is tested without a server.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters. OWASP's Password Storage Cheat Sheet asks for argon2id with at least
// m=19 MiB, t=2, p=1 (or an equivalent trade of memory for passes); we spend more — RFC 9106's
// second recommended setting (64 MiB, 3 passes) with p=2 for the two cores we are deployed on —
// because logins are rare (a handful of stewards) and a stolen hash table should stay expensive
// to attack. BenchmarkHashPassword measures the cost: 76–90 ms per hash (64 MiB) on the
// 2-core development machine, inside the 50–100 ms we budget for a login. The memory is per
// concurrent hash, so the login handler must keep hashing behind the Throttle (and a small
// semaphore if many logins can arrive at once).
const (
	argonMemoryKiB = 64 * 1024
	argonTime      = 3
	argonThreads   = 2
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// Bounds CheckPassword accepts in a stored hash. They are wider than the constants above so
// that raising the constants later does not lock out every account hashed before, and tight
// enough that a corrupted or tampered row can neither make us allocate gigabytes nor reach
// argon2's panics (zero threads, absurd lengths).
const (
	minMemoryKiB = 8 * 1024
	maxMemoryKiB = 1024 * 1024
	maxTime      = 16
	maxThreads   = 16
	minKeyLen    = 16
	maxKeyLen    = 64
	minSaltLen   = 8
	maxSaltLen   = 64
)

// Password policy: long enough to resist guessing, bounded so a megabyte "password" cannot
// cost a megabyte of hashing.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// ErrWeakPassword is wrapped by every CheckPolicy error, so callers can tell a policy refusal
// from a failure.
var ErrWeakPassword = errors.New("password refused")

var b64 = base64.RawStdEncoding.Strict()

// HashPassword returns pw hashed with argon2id and a fresh random salt, encoded PHC-style:
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash> (unpadded standard base64). The parameters
// travel in the string, so hashes made with older parameters keep verifying.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil { // nil since Go 1.24; kept for the contract
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches hash. A malformed hash, another algorithm or
// version, or parameters outside the accepted bounds yield false, never a panic; the final
// comparison is constant-time.
func CheckPassword(hash, pw string) bool {
	p, ok := parseHash(hash)
	if !ok {
		return false
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parseHash reads the exact form HashPassword writes; anything else is refused.
func parseHash(s string) (phc, bool) {
	var p phc
	f := strings.Split(s, "$")
	if len(f) != 6 || f[0] != "" || f[1] != "argon2id" || f[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, false
	}
	params := strings.Split(f[3], ",")
	if len(params) != 3 {
		return p, false
	}
	m, ok1 := param(params[0], "m=", minMemoryKiB, maxMemoryKiB)
	t, ok2 := param(params[1], "t=", 1, maxTime)
	th, ok3 := param(params[2], "p=", 1, maxThreads)
	if !ok1 || !ok2 || !ok3 {
		return p, false
	}
	salt, err := b64.DecodeString(f[4])
	if err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return p, false
	}
	key, err := b64.DecodeString(f[5])
	if err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return p, false
	}
	return phc{memory: m, time: t, threads: uint8(th), salt: salt, key: key}, true
}

// param parses "m=65536" given prefix "m=": a canonical decimal (no sign, no leading zero)
// within [lo, hi].
func param(s, prefix string, lo, hi uint32) (uint32, bool) {
	digits, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || strconv.FormatUint(v, 10) != digits || uint32(v) < lo || uint32(v) > hi {
		return 0, false
	}
	return uint32(v), true
}

// CheckPolicy says why pw may not be used as a password, or nil. Lengths count characters
// (runes), not bytes, so an Indonesian or any other non-ASCII passphrase is measured as typed.
func CheckPolicy(pw string) error {
	if !utf8.ValidString(pw) {
		return fmt.Errorf("%w: it is not valid UTF-8 text", ErrWeakPassword)
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Errorf("%w: it has %d characters; at least %d are needed", ErrWeakPassword, n, MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Errorf("%w: it has %d characters; at most %d are allowed", ErrWeakPassword, n, MaxPasswordLen)
	}
	first, _ := utf8.DecodeRuneInString(pw)
	if strings.Trim(pw, string(first)) == "" {
		return fmt.Errorf("%w: it repeats one character", ErrWeakPassword)
	}
	return nil
}

// passwordAlphabet leaves out characters that are confused when read aloud or copied by hand
// (0/O/o, 1/l/I) and punctuation that shells and forms mangle. 56 symbols × 20 characters is
// about 116 bits.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratedPasswordLen is the length of GeneratePassword's passwords.
const GeneratedPasswordLen = 20

// GeneratePassword returns a random password of GeneratedPasswordLen characters from a clear
// alphabet, for accounts created without one (it is shown once to the operator). It always
// passes CheckPolicy.
func GeneratePassword() string {
	// Rejection sampling: bytes at or above the largest multiple of the alphabet size are
	// dropped, so every symbol is equally likely.
	limit := byte(256 - 256%len(passwordAlphabet))
	var buf [64]byte
	for {
		pw := make([]byte, 0, GeneratedPasswordLen)
		for len(pw) < GeneratedPasswordLen {
			_, _ = rand.Read(buf[:]) // never fails (Go 1.24+): it crashes the program instead
			for _, c := range buf {
				if c < limit && len(pw) < GeneratedPasswordLen {
					pw = append(pw, passwordAlphabet[int(c)%len(passwordAlphabet)])
				}
			}
		}
		if CheckPolicy(string(pw)) == nil {
			return string(pw)
		}
	}
}
