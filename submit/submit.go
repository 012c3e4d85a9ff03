// Package submit takes readers' submissions: a source for a region's MPP status, sent from the
// region page's form or POST /api/v1/submissions, without an account. Nothing public changes on
// a submission; a steward reviews it (package data: AcceptSubmission turns it into an ordinary,
// audited status edit with a new source).
//
// Abuse resistance, with no third-party service (nothing loads from another host):
//   - a form token: an HMAC of the region and the time it was issued, with a key the instances
//     share (data.ServerSecret). A submission needs a token at least MinAge old (a person reads
//     and types; a bot posting at once is refused) and at most MaxAge;
//   - a honeypot field, hidden from people, that bots fill;
//   - size limits on every field, URL checks (http/https, a host, no credentials, no spaces);
//   - duplicate detection (same region, same normalised address) and a cap of open
//     submissions per region, in the database;
//   - per-client and global rate limits per instance, counted here (limit.go) for both surfaces.
//
// Problems carry a message key and arguments, so each surface words them in its language.
package submit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/figures"
)

// Token ages and field limits.
const (
	MinAge      = 3 * time.Second
	MaxAge      = 2 * time.Hour
	MaxURL      = 2000
	MaxTitle    = 300
	MaxNote     = 2000
	MaxContact  = 200
	MaxBodySize = 16 << 10
)

// Rate limits per client address and, over all clients, per instance: a stored submission
// costs a read-model reload (its "under review" count is public).
const (
	PerClientPerHour = 5
	GlobalPerHour    = 120
)

// Service checks and stores submissions.
type Service struct {
	pool   *pgxpool.Pool
	models figures.Source
	key    []byte
	now    func() time.Time
	limits *limiter
}

// New returns a Service; it reads (or creates) the token key shared by every instance.
func New(ctx context.Context, pool *pgxpool.Pool, models figures.Source) (*Service, error) {
	key, err := data.ServerSecret(ctx, pool, "submission-token")
	if err != nil {
		return nil, fmt.Errorf("submit: %w", err)
	}
	return &Service{pool: pool, models: models, key: key, now: time.Now, limits: newLimiter(PerClientPerHour, GlobalPerHour)}, nil
}

// Token issues a form token for region code, now.
func (s *Service) Token(code string) string {
	t := strconv.FormatInt(s.now().Unix(), 10)
	return t + "." + s.mac(code, t)
}

func (s *Service) mac(code, t string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("mppmap submission v1\x00" + code + "\x00" + t))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// Input is a submission as a reader sends it.
type Input struct {
	Region      string
	Status      string // yes | in_progress | no
	AsOf        string // the date of the status, in the reference notation
	SourceURL   string
	SourceTitle string
	Note        string
	Contact     string
	Honeypot    string // the hidden field: must stay empty
	Token       string
	Client      string // the sender's address (after trusted proxies), for the rate limits
}

// Problem is one refused field; Key names its message in the catalogs (submit.err.<Key>).
type Problem struct {
	Field string
	Key   string
	Args  []any // key/value pairs for the message (locale.Lang.T)
}

// InvalidError is a submission refused for its values; nothing is stored.
type InvalidError struct{ Problems []Problem }

func (e *InvalidError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Key
	}
	return "submission refused: " + strings.Join(parts, "; ")
}

// Refusals that concern the whole submission (no single field).
var (
	ErrNoToken   = errors.New("no form token")
	ErrBadToken  = errors.New("the form token is not valid")
	ErrTooFast   = errors.New("sent too fast after the form was opened")
	ErrExpired   = errors.New("the form is too old")
	ErrHoneypot  = errors.New("the hidden field was filled in")
	ErrDuplicate = data.ErrDuplicate
	ErrTooMany   = data.ErrTooManyOpen
)

// Claims are the statuses a reader may claim: "unknown" is what the map says without them.
var Claims = []data.Status{data.StatusYes, data.StatusInProgress, data.StatusNo}

// Check checks in without storing it: the token, the honeypot and every field. It returns the
// submission to store and the normalised address.
func (s *Service) Check(in Input) (data.Submission, string, error) {
	if strings.TrimSpace(in.Honeypot) != "" {
		return data.Submission{}, "", ErrHoneypot
	}
	if err := s.checkToken(in.Region, in.Token); err != nil {
		return data.Submission{}, "", err
	}
	var probs []Problem
	bad := func(field, key string, args ...any) {
		probs = append(probs, Problem{Field: field, Key: key, Args: args})
	}
	sub := data.Submission{RegionCode: strings.TrimSpace(in.Region), SourceTitle: clean(in.SourceTitle), Note: clean(in.Note), Contact: clean(in.Contact)}
	m := s.models.Model()
	if m == nil {
		return sub, "", fmt.Errorf("submit: %w", data.ErrUnavailable)
	}
	if _, ok := m.Region(sub.RegionCode); !ok {
		bad("region", "region")
	}
	st := data.Status(strings.TrimSpace(in.Status))
	if !slices.Contains(Claims, st) {
		bad("status", "status")
	}
	sub.Status = st
	if d, err := pdate.Parse(in.AsOf); err != nil {
		bad("as_of", "as_of")
	} else if d.Latest().After(s.now()) {
		bad("as_of", "as_of_future")
	} else {
		sub.AsOf = d
	}
	key, err := checkURL(in.SourceURL)
	if err != nil {
		bad("source_url", "source_url")
	}
	sub.SourceURL = strings.TrimSpace(in.SourceURL)
	for _, f := range []struct {
		field, v string
		max      int
	}{{"source_title", sub.SourceTitle, MaxTitle}, {"note", sub.Note, MaxNote}, {"contact", sub.Contact, MaxContact}} {
		if !utf8.ValidString(f.v) || utf8.RuneCountInString(f.v) > f.max {
			bad(f.field, "too_long", "Max", f.max)
		}
	}
	if len(probs) > 0 {
		return sub, "", &InvalidError{Problems: probs}
	}
	return sub, key, nil
}

// RateLimitedError is a submission over a rate limit; nothing was stored.
type RateLimitedError struct{ RetryAfter time.Duration }

func (e *RateLimitedError) Error() string {
	return "too many submissions; try again in " + e.RetryAfter.Round(time.Minute).String()
}

// Submit checks and stores in; it returns the submission's id. Only a submission that passes
// every check counts against the rate limits: a reader correcting a typo is not penalised.
func (s *Service) Submit(ctx context.Context, in Input) (int64, error) {
	sub, key, err := s.Check(in)
	if err != nil {
		return 0, err
	}
	if ok, wait := s.limits.allow(in.Client, s.now()); !ok {
		return 0, &RateLimitedError{RetryAfter: wait}
	}
	return data.AddSubmission(ctx, s.pool, sub, key)
}

func (s *Service) checkToken(code, token string) error {
	if token == "" {
		return ErrNoToken
	}
	t, mac, ok := strings.Cut(token, ".")
	issued, err := strconv.ParseInt(t, 10, 64)
	if !ok || err != nil || !hmac.Equal([]byte(mac), []byte(s.mac(strings.TrimSpace(code), t))) {
		return ErrBadToken
	}
	age := s.now().Sub(time.Unix(issued, 0))
	switch {
	case age < MinAge:
		return ErrTooFast
	case age > MaxAge:
		return ErrExpired
	}
	return nil
}

// clean trims a text and replaces control characters (but not line breaks) with spaces.
func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

// checkURL accepts an http(s) address with a host, no credentials and no spaces, within MaxURL,
// and returns its duplicate key: scheme and host lower-cased, without "www.", the fragment,
// tracking parameters (utm_*, fbclid, gclid) and a trailing slash.
func checkURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > MaxURL || strings.ContainsAny(raw, " \t\r\n\\") {
		return "", errors.New("bad address")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", errors.New("bad address")
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if host == "" || strings.HasPrefix(host, ".") {
		return "", errors.New("bad address")
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "utm_") || k == "fbclid" || k == "gclid" {
			q.Del(k)
		}
	}
	key := host
	if p := u.Port(); p != "" {
		key += ":" + p
	}
	key += strings.TrimRight(u.EscapedPath(), "/")
	if enc := q.Encode(); enc != "" {
		key += "?" + enc
	}
	return key, nil
}
