package api

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/ledger"
)

// Problem is an RFC 9457 problem detail; handlers return it as an error and ErrorHandler
// writes it.
type Problem struct {
	Type   string `json:"type" const:"about:blank" description:"Always about:blank: title and status say what happened (RFC 9457 §4.2.1)."`
	Title  string `json:"title" description:"Short, stable summary of the problem, e.g. invalid query parameter, unknown query parameter, not found, too many requests, not ready."`
	Status int    `json:"status" minimum:"400" maximum:"599" description:"The HTTP status code of the response."`
	Detail string `json:"detail,omitempty" description:"What exactly was wrong, naming the value received and what is allowed; absent for an internal error (500), whose cause is logged, not sent."`
	// Parameter names the parameter a 400 is about. A pointer, so that a query argument without
	// a name ("?=1") is still named, as "": every 400 says which parameter it is about.
	Parameter *string `json:"parameter,omitempty" description:"The query or path parameter a 400 is about (an argument without a name is named \"\")."`
	// Errors names each bad field of a refused change (422 of a write).
	Errors []ledger.FieldProblem `json:"errors,omitempty" description:"A refused change (422): each bad field and why."`
	// Plan is a bulk update's dry run: the problems of a refused file (422), or a fresh dry run
	// when the ledger changed since the client's (409).
	Plan *ledger.Plan `json:"plan,omitempty" description:"A bulk update: the dry run of a refused file (422), or a fresh one when the ledger changed since the client's (409)."`
	// RetryAfter (seconds) is sent as the Retry-After header of a 503.
	RetryAfter int `json:"-"`
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

func problem(status int, title, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: title, Status: status, Detail: detail}
}

// badParam names the parameter, the value received and what is allowed.
func badParam(name, got, allowed string) *Problem {
	p := problem(fiber.StatusBadRequest, "invalid query parameter",
		fmt.Sprintf("parameter %q: got %q, allowed: %s", name, got, allowed))
	p.Parameter = &name
	return p
}

// notFound is the 404 of a well-formed code or id that names nothing.
func notFound(what string, v string) error {
	return fmt.Errorf("no %s with code %q: %w", what, v, data.ErrNotFound)
}

// toProblem is the API's one table from errors to problems: problems keep their status,
// Fiber's errors (an unknown route, a wrong method) keep theirs, data.ErrNotFound is a 404,
// everything else a 500 whose detail is not leaked.
func toProblem(err error) (p *Problem, internal bool) {
	var fe *fiber.Error
	switch {
	case errors.As(err, &p):
		return p, false
	case errors.As(err, &fe):
		return problem(fe.Code, httpTitle(fe.Code), fe.Message), false
	case errors.Is(err, data.ErrNotFound):
		return problem(fiber.StatusNotFound, "not found", err.Error()), false
	}
	return problem(fiber.StatusInternalServerError, "internal error", ""), true
}

// ErrorHandler writes errors of the API surface as application/problem+json; a 500 is logged.
func ErrorHandler(log interface {
	Error(msg string, args ...any)
}) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p, internal := toProblem(err)
		if internal {
			log.Error("request failed", "path", c.Path(), "err", err)
		}
		if p.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(p.RetryAfter))
		}
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.Status(p.Status).JSON(p, "application/problem+json")
	}
}

func httpTitle(code int) string {
	if t := utils.StatusMessage(code); t != "" {
		return strings.ToLower(t)
	}
	return "error"
}
