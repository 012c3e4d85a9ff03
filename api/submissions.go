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

func (h *Handler) registerSubmissions(v1 fiber.Router) {
	v1.Get("/submissions/token", h.submissionToken)
	v1.Post("/submissions", h.postSubmission)
}

// tokenResponse is a submission form token: send it back as "token" at least submit.MinAge
// and at most submit.MaxAge later.
type tokenResponse struct {
	Token        string `json:"token"`
	MinAgeSecond int    `json:"min_age_seconds"`
	MaxAgeSecond int    `json:"max_age_seconds"`
}

func (h *Handler) submissionToken(c *fiber.Ctx) error {
	if h.submissions == nil {
		return unavailable("submissions are not enabled on this instance")
	}
	if err := checkParams(c, "region"); err != nil {
		return err
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
	Region      string `json:"region"`
	Status      string `json:"status"`
	AsOf        string `json:"as_of"`
	SourceURL   string `json:"source_url"`
	SourceTitle string `json:"source_title"`
	Note        string `json:"note"`
	Contact     string `json:"contact"`
	Token       string `json:"token"`
}

// submissionCreated is POST /submissions' answer.
type submissionCreated struct {
	ID     int64  `json:"id"`
	State  string `json:"state"`
	Detail string `json:"detail"`
}

func (h *Handler) postSubmission(c *fiber.Ctx) error {
	if h.submissions == nil {
		return unavailable("submissions are not enabled on this instance")
	}
	if err := checkParams(c); err != nil {
		return err
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
