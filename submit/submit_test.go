package submit

import (
	"errors"
	"strings"
	"testing"
	"time"

	"mppmap/figures"
	"mppmap/figures/figurestest"
)

func testService(now time.Time) *Service {
	return &Service{key: []byte("0123456789abcdef0123456789abcdef"), models: figures.Fixed{M: figures.Build(figurestest.Snapshot())},
		now: func() time.Time { return now }}
}

func good(token string) Input {
	return Input{Region: "32.73", Status: "yes", AsOf: "2025-03", SourceURL: "https://radar.example.id/berita/mpp?utm_source=x#top",
		SourceTitle: "MPP diresmikan", Note: "<b>diresmikan</b> bupati", Contact: "a@b.id", Token: token}
}

// TestToken: a token is valid for its region between MinAge and MaxAge, and only with our key.
func TestToken(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	s := testService(t0)
	tok := s.Token("32.73")
	for _, tc := range []struct {
		name   string
		after  time.Duration
		region string
		token  string
		want   error
	}{
		{"at once", 0, "32.73", tok, ErrTooFast},
		{"after 2 s", 2 * time.Second, "32.73", tok, ErrTooFast},
		{"after 10 s", 10 * time.Second, "32.73", tok, nil},
		{"after 3 h", 3 * time.Hour, "32.73", tok, ErrExpired},
		{"other region", 10 * time.Second, "32.04", tok, ErrBadToken},
		{"tampered time", 10 * time.Second, "32.73", "1" + tok, ErrBadToken},
		{"garbage", 10 * time.Second, "32.73", "x.y", ErrBadToken},
		{"none", 10 * time.Second, "32.73", "", ErrNoToken},
	} {
		s.now = func() time.Time { return t0.Add(tc.after) }
		if err := s.checkToken(tc.region, tc.token); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	other := &Service{key: []byte("another key another key another!"), now: s.now}
	if err := other.checkToken("32.73", tok); !errors.Is(err, ErrBadToken) {
		t.Errorf("another key accepted the token: %v", err)
	}
}

// TestCheck: the refusals of bad input, each naming its field and message key; a good
// submission keeps its text as given (HTML is text: the pages escape it).
func TestCheck(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	s := testService(t0)
	tok, tok99 := s.Token("32.73"), s.Token("99.99")
	s.now = func() time.Time { return t0.Add(time.Minute) }
	sub, key, err := s.Check(good(tok))
	if err != nil || sub.Note != "<b>diresmikan</b> bupati" || key != "radar.example.id/berita/mpp" {
		t.Fatalf("good: %+v %q %v", sub, key, err)
	}
	for _, tc := range []struct {
		name  string
		mod   func(*Input)
		field string
		err   error
	}{
		{"honeypot", func(in *Input) { in.Honeypot = "http://spam" }, "", ErrHoneypot},
		{"javascript URL", func(in *Input) { in.SourceURL = "javascript:alert(1)" }, "source_url", nil},
		{"credentials", func(in *Input) { in.SourceURL = "https://user:pw@example.org/x" }, "source_url", nil},
		{"spaces", func(in *Input) { in.SourceURL = "https://example.org/a b" }, "source_url", nil},
		{"no host", func(in *Input) { in.SourceURL = "https:///path" }, "source_url", nil},
		{"long URL", func(in *Input) { in.SourceURL = "https://example.org/" + strings.Repeat("a", MaxURL) }, "source_url", nil},
		{"data URL", func(in *Input) { in.SourceURL = "data:text/html,<script>" }, "source_url", nil},
		{"unknown status", func(in *Input) { in.Status = "unknown" }, "status", nil},
		{"bad date", func(in *Input) { in.AsOf = "kemarin" }, "as_of", nil},
		{"future date", func(in *Input) { in.AsOf = "2027-01" }, "as_of", nil},
		{"unknown region", func(in *Input) { in.Region = "99.99"; in.Token = tok99 }, "region", nil},
		{"long note", func(in *Input) { in.Note = strings.Repeat("é", MaxNote+1) }, "note", nil},
		{"long contact", func(in *Input) { in.Contact = strings.Repeat("x", MaxContact+1) }, "contact", nil},
	} {
		in := good(tok)
		tc.mod(&in)
		_, _, err := s.Check(in)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.err)
			}
			continue
		}
		var inv *InvalidError
		if !errors.As(err, &inv) || len(inv.Problems) != 1 || inv.Problems[0].Field != tc.field {
			t.Errorf("%s: %v, want one problem on %s", tc.name, err, tc.field)
		}
	}
}

func TestURLKey(t *testing.T) {
	a, _ := checkURL("https://WWW.Example.org/berita/1/?utm_campaign=x&id=2#c")
	b, _ := checkURL("http://example.org/berita/1?id=2&fbclid=abc")
	if a != b || a != "example.org/berita/1?id=2" {
		t.Errorf("keys %q and %q, want the same example.org/berita/1?id=2", a, b)
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(2, 3)
	t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.allow("a", t0); ok != want {
			t.Errorf("client a, submission %d: %v", i+1, ok)
		}
	}
	if ok, _ := l.allow("b", t0); !ok {
		t.Error("client b refused")
	}
	if ok, wait := l.allow("c", t0.Add(time.Minute)); ok || wait != 59*time.Minute {
		t.Errorf("global limit: ok %v, wait %s", ok, wait)
	}
	if ok, _ := l.allow("a", t0.Add(time.Hour)); !ok {
		t.Error("a new hour did not reset the counts")
	}
}
