package dashboard

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/figures/figurestest"
	"mppmap/submit"
)

// fakeSubmissions answers err and records the input it was given.
type fakeSubmissions struct {
	err error
	got submit.Input
}

func (f *fakeSubmissions) Token(code string) string { return "tok-" + code }
func (f *fakeSubmissions) Submit(_ context.Context, in submit.Input) (int64, error) {
	f.got = in
	return 7, f.err
}

func postForm(t *testing.T, app *fiber.App, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestSubmissionForm: the region page carries the form (first on an unknown region) with its
// privacy note and honeypot; each outcome of a post has its status and page, the values kept
// and shown as text, and the pages are never cached.
func TestSubmissionForm(t *testing.T) {
	f := &fakeSubmissions{}
	h, err := newHandler(fixedModel(figurestest.Snapshot()), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	h.WithSubmissions(f, func(*fiber.Ctx) string { return "192.0.2.9" })
	app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
	h.Register(app)

	_, page := get(t, app, "/wilayah/32.73")
	for _, want := range []string{`class="submit-form"`, `action="/wilayah/32.73/kirim"`, `data-token-url="/api/v1/submissions/token?region=32.73"`,
		`name="website"`, "dihapus setelah kiriman ditinjau"} {
		if !strings.Contains(page, want) {
			t.Errorf("region page lacks %s", want)
		}
	}
	if _, en := get(t, app, "/en/wilayah/32.73"); !strings.Contains(en, `action="/en/wilayah/32.73/kirim"`) || !strings.Contains(en, "Send the source") {
		t.Error("English region page lacks its form")
	}
	hostile := `<script>alert(1)</script>`
	form := url.Values{"status": {"yes"}, "as_of": {"2025-03"}, "source_url": {"https://example.org/x"}, "note": {hostile}, "token": {"t"}}
	for _, tc := range []struct {
		name   string
		err    error
		want   int
		inPage string
	}{
		{"stored", nil, 200, "Terima kasih"},
		{"no token (no JavaScript)", submit.ErrNoToken, 200, `value="tok-32.73"`},
		{"too fast", submit.ErrTooFast, 200, "tunggu 3 detik"},
		{"invalid", &submit.InvalidError{Problems: []submit.Problem{{Field: "source_url", Key: "source_url"}, {Field: "note", Key: "too_long", Args: []any{"Max", 2000}}}}, 422, "paling banyak 2000 karakter"},
		{"duplicate", submit.ErrDuplicate, 409, "sudah pernah dikirim"},
		{"honeypot", submit.ErrHoneypot, 400, "ditolak"},
		{"rate", &submit.RateLimitedError{RetryAfter: 30 * time.Minute}, 429, "Terlalu banyak kiriman"},
	} {
		f.err = tc.err
		res, body := postForm(t, app, "/wilayah/32.73/kirim", form)
		if res.StatusCode != tc.want || !strings.Contains(body, tc.inPage) {
			t.Errorf("%s: %d, want %d with %q", tc.name, res.StatusCode, tc.want, tc.inPage)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", tc.name, cc)
		}
		if strings.Contains(body, hostile) {
			t.Errorf("%s: the note is echoed as markup", tc.name)
		}
		if tc.want == 429 && res.Header.Get("Retry-After") != "1800" {
			t.Errorf("rate: Retry-After %q", res.Header.Get("Retry-After"))
		}
	}
	if f.got.Client != "192.0.2.9" || f.got.Note != hostile || f.got.Region != "32.73" {
		t.Errorf("the service got %+v", f.got)
	}
	if res, _ := postForm(t, app, "/wilayah/99.99/kirim", form); res.StatusCode != 404 {
		t.Errorf("unknown region: %d", res.StatusCode)
	}
	big := url.Values{"note": {strings.Repeat("x", submit.MaxBodySize)}}
	if res, _ := postForm(t, app, "/wilayah/32.73/kirim", big); res.StatusCode != 413 {
		t.Errorf("oversized post: %d", res.StatusCode)
	}
}
