package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestHashPasswordRoundTrip(t *testing.T) {
	const pw = "kopi tubruk di Bandung 2024"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(h) {
		t.Fatalf("hash %q is not PHC argon2id with our parameters", h)
	}
	if strings.Contains(h, pw) {
		t.Fatal("hash contains the password")
	}
	if !CheckPassword(h, pw) {
		t.Error("the right password is refused")
	}
	for _, wrong := range []string{"", "kopi tubruk di Bandung 2025", "Kopi tubruk di Bandung 2024", pw + " "} {
		if CheckPassword(h, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	h2, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

// TestCheckPasswordRefusesBadHashes: tampered, malformed and out-of-bounds hashes are refused
// without a panic (argon2 panics on zero threads, and huge memory would be a denial of service).
func TestCheckPasswordRefusesBadHashes(t *testing.T) {
	const pw = "correct horse battery"
	good, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(good, "$") // "", argon2id, v=19, params, salt, key
	join := func(alg, ver, params, salt, key string) string {
		return strings.Join([]string{"", alg, ver, params, salt, key}, "$")
	}
	flip := func(s string) string { // change one base64 character
		b := []byte(s)
		if b[3] == 'A' {
			b[3] = 'B'
		} else {
			b[3] = 'A'
		}
		return string(b)
	}
	for _, tc := range []struct{ name, hash string }{
		{"empty", ""},
		{"plain text", pw},
		{"dollars only", "$$$$$"},
		{"too few fields", strings.Join(f[:5], "$")},
		{"too many fields", good + "$x"},
		{"leading text", "x" + good},
		{"argon2i", join("argon2i", f[2], f[3], f[4], f[5])},
		{"bcrypt", "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"},
		{"version 16", join(f[1], "v=16", f[3], f[4], f[5])},
		{"tampered key", join(f[1], f[2], f[3], f[4], flip(f[5]))},
		{"tampered salt", join(f[1], f[2], f[3], flip(f[4]), f[5])},
		{"other memory", join(f[1], f[2], "m=32768,t=3,p=2", f[4], f[5])},
		{"other passes", join(f[1], f[2], "m=65536,t=2,p=2", f[4], f[5])},
		{"zero memory", join(f[1], f[2], "m=0,t=3,p=2", f[4], f[5])},
		{"zero passes", join(f[1], f[2], "m=65536,t=0,p=2", f[4], f[5])},
		{"zero threads", join(f[1], f[2], "m=65536,t=3,p=0", f[4], f[5])},
		{"256 threads", join(f[1], f[2], "m=65536,t=3,p=256", f[4], f[5])},
		{"huge memory", join(f[1], f[2], "m=4294967295,t=3,p=2", f[4], f[5])},
		{"memory overflow", join(f[1], f[2], "m=99999999999,t=3,p=2", f[4], f[5])},
		{"many passes", join(f[1], f[2], "m=65536,t=1000,p=2", f[4], f[5])},
		{"negative", join(f[1], f[2], "m=-1,t=3,p=2", f[4], f[5])},
		{"plus sign", join(f[1], f[2], "m=+65536,t=3,p=2", f[4], f[5])},
		{"leading zero", join(f[1], f[2], "m=065536,t=3,p=2", f[4], f[5])},
		{"params reordered", join(f[1], f[2], "t=3,m=65536,p=2", f[4], f[5])},
		{"param missing", join(f[1], f[2], "m=65536,t=3", f[4], f[5])},
		{"param extra", join(f[1], f[2], "m=65536,t=3,p=2,k=1", f[4], f[5])},
		{"param spaces", join(f[1], f[2], "m=65536, t=3, p=2", f[4], f[5])},
		{"salt not base64", join(f[1], f[2], f[3], "!!!!!!!!!!!!!!!!!!!!!!", f[5])},
		{"salt padded", join(f[1], f[2], f[3], f[4]+"==", f[5])},
		{"salt empty", join(f[1], f[2], f[3], "", f[5])},
		{"salt short", join(f[1], f[2], f[3], "AAAA", f[5])},
		{"key empty", join(f[1], f[2], f[3], f[4], "")},
		{"key short", join(f[1], f[2], f[3], f[4], f[5][:8])},
		{"key too long", join(f[1], f[2], f[3], f[4], strings.Repeat("A", 200))},
		{"key urlsafe", join(f[1], f[2], f[3], f[4], strings.NewReplacer("+", "-", "/", "_").Replace(f[5])+"-")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if CheckPassword(tc.hash, pw) {
				t.Errorf("CheckPassword(%q) accepted the password", tc.hash)
			}
		})
	}
}

// TestCheckPasswordOlderParameters: a hash made with other (in-bounds) parameters still
// verifies, so the constants can be raised without locking anyone out.
func TestCheckPasswordOlderParameters(t *testing.T) {
	// argon2id, m=19456 t=2 p=1 (OWASP's minimum), password "password-2019", salt "somesaltsomesalt".
	const old = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Pdk3oRi2vnS+Lz/qRIZQMZruZ6oI2yZWPYiyMG8liVo"
	if !CheckPassword(old, "password-2019") {
		t.Fatal("an in-bounds hash with older parameters does not verify")
	}
	if CheckPassword(old, "password-2020") {
		t.Fatal("wrong password accepted")
	}
}

func TestCheckPolicy(t *testing.T) {
	for _, tc := range []struct {
		name, pw string
		want     string // "" = accepted; else a fragment of the message
	}{
		{"empty", "", "0 characters; at least 12"},
		{"eleven", "abcdefghijk", "11 characters; at least 12"},
		{"twelve", "abcdefghijkl", ""},
		{"passphrase", "kopi tubruk di Bandung", ""},
		{"non-ASCII counted as characters", "ŝŝŝŝŝŝŝŝŝŝŝa", ""},
		{"eleven non-ASCII runes", "ąčęėįšųūžąč", "11 characters"},
		{"256", strings.Repeat("ab", 128), ""},
		{"257", strings.Repeat("ab", 128) + "c", "257 characters; at most 256"},
		{"one character repeated", strings.Repeat("a", 20), "repeats one character"},
		{"one rune repeated", strings.Repeat("é", 13), "repeats one character"},
		{"spaces", strings.Repeat(" ", 16), "repeats one character"},
		{"invalid UTF-8", "abcdefghijkl\xff", "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckPolicy(tc.pw)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && err == nil:
				t.Errorf("accepted, want a refusal mentioning %q", tc.want)
			case tc.want != "" && (!strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrWeakPassword)):
				t.Errorf("error %q: want ErrWeakPassword mentioning %q", err, tc.want)
			}
		})
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw := GeneratePassword()
		if len(pw) != GeneratedPasswordLen {
			t.Fatalf("%q has %d characters", pw, len(pw))
		}
		if strings.Trim(pw, passwordAlphabet) != "" {
			t.Fatalf("%q has characters outside the alphabet", pw)
		}
		if strings.ContainsAny(pw, "0O1lIo") {
			t.Fatalf("%q has an ambiguous character", pw)
		}
		if err := CheckPolicy(pw); err != nil {
			t.Fatalf("%q fails the policy: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("%q generated twice", pw)
		}
		seen[pw] = true
	}
}

// BenchmarkHashPassword measures one login's cost with the production parameters. On the
// 2-core development machine (AMD EPYC, shared): 76–90 ms/op and 64 MiB per operation.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("kopi tubruk di Bandung"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckPassword is the cost a login pays (the same as hashing, by design).
func BenchmarkCheckPassword(b *testing.B) {
	h, err := HashPassword("kopi tubruk di Bandung")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if !CheckPassword(h, "kopi tubruk di Bandung") {
			b.Fatal("refused")
		}
	}
}
