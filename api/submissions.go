package api

import (
	"context"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"mppmap/ledger"
	"mppmap/submit"
)

// Submissions is what the submission routes call: package submit's Service.
type Submissions interface {
	Token(code string) string
	Submit(ctx context.Context, in submit.Input) (int64, error)
}

// WithSubmissions enables POST /submissions and its token; without it they answer 503.
func (h *Handler) WithSubmissions(s Submissions) *Handler {
	h.submissions = s
	return h
}

// submissionOperations are readers' submissions (see operation): public, limited by the form
// token, its age and per-client rates instead of a bearer token.
func (h *Handler) submissionOperations() []operation {
	return []operation{
		{method: fiber.MethodGet, path: "/submissions/token", id: "submission_token", tag: tagSubmissions,
			summary: "A form token for one region's submission",
			description: fmt.Sprintf("Send it back as token between %d seconds and %d hours later.",
				int(submit.MinAge.Seconds()), int(submit.MaxAge.Hours())),
			params: submissionTokenQuery{}, resp: tokenResponse{}, noStore: true, problems: []int{fiber.StatusNotFound},
			handle: h.submissionToken},
		{method: fiber.MethodPost, path: "/submissions", id: "submission_create", tag: tagSubmissions,
			summary:     "Send a source for a region's status (readers)",
			description: "Stored for a steward's review; nothing on the site changes until a steward accepts it. The contact is kept for the review only.",
			body:        submissionPost{}, resp: submissionCreated{}, status: fiber.StatusCreated, noStore: true,
			problems: []int{fiber.StatusConflict, fiber.StatusRequestEntityTooLarge, fiber.StatusUnsupportedMediaType,
				fiber.StatusUnprocessableEntity, fiber.StatusTooManyRequests},
			handle: h.postSubmission},
	}
}

type submissionTokenQuery struct {
	Region string `query:"region" required:"true" vocab:"region_code" example:"32.05" description:"The kab/kota the submission is about. Malformed: 400; unknown: 404."`
}

// tokenResponse is a submission form token: send it back as "token" at least submit.MinAge
// and at most submit.MaxAge later.
type tokenResponse struct {
	Token        string `json:"token" description:"Opaque; bound to the region."`
	MinAgeSecond int    `json:"min_age_seconds" description:"Seconds before the token may be used."`
	MaxAgeSecond int    `json:"max_age_seconds" description:"Seconds after which the token has expired."`
}

func (h *Handler) submissionToken(c *fiber.Ctx) error {
	if h.submissions == nil {
		return unavailable("submissions are not enabled on this instance")
	}
	r, err := parseRegion(h.src.Model(), "region", c.Query("region"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(tokenResponse{Token: h.submissions.Token(r.Code), MinAgeSecond: int(submit.MinAge.Seconds()), MaxAgeSecond: int(submit.MaxAge.Seconds())})
}

// submissionPost is the body of POST /submissions.
type submissionPost struct {
	Region      string `json:"region" vocab:"region_code" description:"The kab/kota."`
	Status      string `json:"status" vocab:"status" description:"The status the source shows."`
	AsOf        string `json:"as_of" vocab:"pdate_or_empty" description:"The date the source gives, at its precision."`
	SourceURL   string `json:"source_url" description:"Where the source is (http or https)."`
	SourceTitle string `json:"source_title"`
	Note        string `json:"note"`
	Contact     string `json:"contact" description:"How a steward may reach you (optional); never published, removed after the review."`
	Token       string `json:"token" description:"The form token (GET /submissions/token)."`
}

// submissionCreated is POST /submissions' answer.
type submissionCreated struct {
	ID     int64  `json:"id" description:"The submission's number."`
	State  string `json:"state" description:"open: waiting for a steward's review."`
	Detail string `json:"detail"`
}

func (h *Handler) postSubmission(c *fiber.Ctx) error {
	if h.submissions == nil {
		return unavailable("submissions are not enabled on this instance")
	}
	if len(c.Body()) > submit.MaxBodySize {
		return problem(fiber.StatusRequestEntityTooLarge, "request too large", fmt.Sprintf("at most %d bytes", submit.MaxBodySize))
	}
	var in submissionPost
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	id, err := h.submissions.Submit(c.UserContext(), submit.Input{Region: in.Region, Status: in.Status, AsOf: in.AsOf, SourceURL: in.SourceURL,
		SourceTitle: in.SourceTitle, Note: in.Note, Contact: in.Contact, Token: in.Token, Client: h.clients.String(c)})
	if err != nil {
		return h.submissionErr(err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(submissionCreated{ID: id, State: "open", Detail: h.en.T("submit.thanks")})
}

// submissionErr words a refused submission in English (the API's language).
func (h *Handler) submissionErr(err error) error {
	var inv *submit.InvalidError
	var rl *submit.RateLimitedError
	switch {
	case errors.As(err, &rl):
		p := problem(fiber.StatusTooManyRequests, "too many requests", h.en.T("submit.err.rate"))
		p.RetryAfter = max(1, int(rl.RetryAfter.Seconds()))
		return p
	case errors.As(err, &inv):
		p := problem(fiber.StatusUnprocessableEntity, "invalid submission", "nothing was stored; see errors")
		for _, q := range inv.Problems {
			p.Errors = append(p.Errors, ledger.FieldProblem{Field: q.Field, Message: h.en.T("submit.err."+q.Key, q.Args...)})
		}
		return p
	case errors.Is(err, submit.ErrNoToken), errors.Is(err, submit.ErrBadToken), errors.Is(err, submit.ErrExpired):
		return problem(fiber.StatusBadRequest, "invalid token", h.en.T("submit.err.token")+" (GET /api/v1/submissions/token?region=…)")
	case errors.Is(err, submit.ErrTooFast):
		return problem(fiber.StatusBadRequest, "too fast", h.en.T("submit.err.too_fast", "Seconds", int(submit.MinAge.Seconds())))
	case errors.Is(err, submit.ErrHoneypot):
		return problem(fiber.StatusBadRequest, "refused", h.en.T("submit.err.refused"))
	case errors.Is(err, submit.ErrDuplicate):
		return problem(fiber.StatusConflict, "duplicate", h.en.T("submit.err.duplicate"))
	case errors.Is(err, submit.ErrTooMany):
		return problem(fiber.StatusConflict, "queue full", h.en.T("submit.err.too_many"))
	}
	return writeErr(err)
}
