package dashboard

import (
	"context"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/submit"
)

// Submissions is what the region pages' "send the source" form calls: package submit's
// Service (shared with POST /api/v1/submissions, and so are its rate limits).
type Submissions interface {
	Token(code string) string
	Submit(ctx context.Context, in submit.Input) (int64, error)
}

// WithSubmissions enables the form; without it region pages show none.
func (h *Handler) WithSubmissions(s Submissions, client func(*fiber.Ctx) string) *Handler {
	h.submissions, h.clientOf = s, client
	return h
}

// submitForm is the form on a region page and on the submission pages: its values (kept when
// a submission is refused), its problems by field, and its token.
type submitForm struct {
	Action    string
	TokenURL  string // where app.js fetches a fresh token for the cached region page
	Token     string // set on the per-request pages (confirm, errors)
	Claims    []claimOption
	In        submit.Input
	Problems  map[string]string
	Unknown   bool // the region's status is unknown: the form says so first
	OpenCount int  // submissions under review for the region
}

type claimOption struct {
	Value, Label string
	Selected     bool
}

// submitFormFor is the form for region r with values in and problems.
func submitFormFor(l *lang, r *figures.Region, in submit.Input, probs map[string]string) submitForm {
	f := submitForm{Action: l.path("/wilayah/" + r.Code + "/kirim"), TokenURL: "/api/v1/submissions/token?region=" + r.Code,
		In: in, Problems: probs, Unknown: r.Status == data.StatusUnknown, OpenCount: r.UnderReview}
	for _, st := range submit.Claims {
		f.Claims = append(f.Claims, claimOption{Value: string(st), Label: l.Msg(figures.StatusLabel(st)), Selected: in.Status == string(st)})
	}
	return f
}

// submitView is templates/submit.html: the outcome of a form post.
type submitView struct {
	page
	R       *figures.Region
	Heading string
	Lead    string
	Error   string // a refusal of the whole submission
	Form    *submitForm
	Done    bool
	BackURL string
}

// postSubmission handles the region page's form: stored → a thank-you page; refused fields →
// the form again with each problem (422); no token, or one too old or too young (a page read
// without JavaScript, or a form left open) → the filled-in form with a fresh token to send
// again (200), so readers without JavaScript can submit too. Rendered per request, never cached.
func (h *Handler) postSubmission(l *lang) fiber.Handler {
	return func(c *fiber.Ctx) error {
		m := h.src.Model()
		if m == nil {
			return errNotReady
		}
		r, ok := m.Region(utils.CopyString(c.Params("code")))
		if !ok || h.submissions == nil {
			return fiber.ErrNotFound
		}
		if len(c.Body()) > submit.MaxBodySize {
			return h.sendSubmitPage(c, m, l, r, fiber.StatusRequestEntityTooLarge, l.T("submit.err.too_long", "Max", submit.MaxBodySize), nil)
		}
		in := submit.Input{Region: r.Code, Status: c.FormValue("status"), AsOf: c.FormValue("as_of"), SourceURL: c.FormValue("source_url"),
			SourceTitle: c.FormValue("source_title"), Note: c.FormValue("note"), Contact: c.FormValue("contact"),
			Honeypot: c.FormValue("website"), Token: c.FormValue("token"), Client: h.clientOf(c)}
		in = copyInput(in)
		_, err := h.submissions.Submit(c.UserContext(), in)
		var inv *submit.InvalidError
		var rl *submit.RateLimitedError
		switch {
		case err == nil:
			return h.sendSubmitPage(c, m, l, r, fiber.StatusOK, "", nil)
		case errors.As(err, &inv):
			probs := map[string]string{}
			for _, p := range inv.Problems {
				probs[p.Field] = l.T("submit.err."+p.Key, p.Args...)
			}
			f := submitFormFor(l, r, in, probs)
			f.Token = h.submissions.Token(r.Code)
			return h.sendSubmitPage(c, m, l, r, fiber.StatusUnprocessableEntity, l.T("submit.errors_title"), &f)
		case errors.Is(err, submit.ErrNoToken), errors.Is(err, submit.ErrTooFast), errors.Is(err, submit.ErrExpired), errors.Is(err, submit.ErrBadToken):
			f := submitFormFor(l, r, in, nil)
			f.Token = h.submissions.Token(r.Code)
			msg := ""
			if !errors.Is(err, submit.ErrNoToken) {
				msg = l.T("submit.err.too_fast", "Seconds", int(submit.MinAge.Seconds()))
			}
			return h.sendSubmitPage(c, m, l, r, fiber.StatusOK, msg, &f)
		case errors.As(err, &rl):
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(1, int(rl.RetryAfter.Seconds()))))
			return h.sendSubmitPage(c, m, l, r, fiber.StatusTooManyRequests, l.T("submit.err.rate"), nil)
		case errors.Is(err, submit.ErrDuplicate):
			return h.sendSubmitPage(c, m, l, r, fiber.StatusConflict, l.T("submit.err.duplicate"), nil)
		case errors.Is(err, submit.ErrTooMany):
			return h.sendSubmitPage(c, m, l, r, fiber.StatusConflict, l.T("submit.err.too_many"), nil)
		case errors.Is(err, submit.ErrHoneypot):
			return h.sendSubmitPage(c, m, l, r, fiber.StatusBadRequest, l.T("submit.err.refused"), nil)
		case errors.Is(err, data.ErrUnavailable):
			c.Set(fiber.HeaderRetryAfter, "30")
			return h.sendSubmitPage(c, m, l, r, fiber.StatusServiceUnavailable, l.T("submit.err.unavailable"), nil)
		}
		return err
	}
}

// copyInput copies the values out of Fiber's request buffers (they are reused after the
// handler returns, and the page renders them).
func copyInput(in submit.Input) submit.Input {
	for _, p := range []*string{&in.Status, &in.AsOf, &in.SourceURL, &in.SourceTitle, &in.Note, &in.Contact, &in.Honeypot, &in.Token, &in.Client} {
		*p = utils.CopyString(*p)
	}
	return in
}

func (h *Handler) sendSubmitPage(c *fiber.Ctx, m *figures.Model, l *lang, r *figures.Region, status int, msg string, f *submitForm) error {
	base := h.basePage(m, l, route{path: "/wilayah/:code"}, request{Code: r.Code, Query: map[string]string{}}, "")
	base.Bundle = ""
	v := submitView{R: r, Error: msg, Form: f, BackURL: l.path("/wilayah/" + r.Code)}
	switch {
	case status == fiber.StatusOK && f == nil:
		v.Heading, v.Lead, v.Done = l.T("submit.thanks_title"), l.T("submit.thanks"), true
	case status == fiber.StatusOK:
		v.Heading, v.Lead = l.T("submit.confirm_title"), l.T("submit.confirm_lead")
	default:
		v.Heading = l.T("submit.errors_title")
	}
	v.page = titled(base, v.Heading+" — "+r.Name)
	p, err := h.encodeFast("submit.html", v, status)
	if err != nil {
		return err
	}
	c.Set("X-Robots-Tag", "noindex")
	return h.sendCache(c, l, p, "no-store")
}
