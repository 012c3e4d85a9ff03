// Package observe is what an operator watches: Prometheus metrics (github.com/prometheus/
// client_golang) of requests by route pattern, response bytes, the read model's age and reloads,
// imports, the database pool and the Go runtime; and one access-log line per request (slog) with
// a request id. Routes are labelled by their pattern (/api/v1/regions/:code), never the raw path,
// so a crawler cannot blow up the series; the log never carries cookies, tokens, passwords or
// query strings, which could hold them.
package observe

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"regexp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds the collectors of one process, on a registry of its own (no global default
// registry: tests and several apps in one process stay apart).
type Metrics struct {
	Registry *prometheus.Registry

	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	bytes    *prometheus.CounterVec
	reloads  *prometheus.CounterVec
	imports  *prometheus.CounterVec
	importD  prometheus.Histogram
}

// NewMetrics registers mppmap's collectors and the Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mppmap_http_requests_total",
		Help: "HTTP requests by route pattern, method and status code."}, []string{"route", "method", "code"})
	// Buckets from 100 µs (a pre-encoded body) to 10 s (a page rendered on a cold cache under load).
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mppmap_http_request_duration_seconds",
		Help:    "Time from the request to the response written, by route pattern and method.",
		Buckets: []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}},
		[]string{"route", "method"})
	m.bytes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mppmap_http_response_bytes_total",
		Help: "Response body bytes sent (after compression), by route pattern."}, []string{"route"})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mppmap_read_model_reloads_total",
		Help: "Read-model reloads by result (ok, error)."}, []string{"result"})
	m.imports = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mppmap_imports_total",
		Help: "Reference-data imports by outcome (changed, unchanged, rejected, failed)."}, []string{"outcome"})
	m.importD = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "mppmap_import_duration_seconds",
		Help: "Duration of reference-data imports.", Buckets: prometheus.ExponentialBuckets(0.25, 2, 10)})
	m.Registry.MustRegister(m.requests, m.duration, m.bytes, m.reloads, m.imports, m.importD,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Reload counts one read-model reload.
func (m *Metrics) Reload(err error) {
	if err != nil {
		m.reloads.WithLabelValues("error").Inc()
		return
	}
	m.reloads.WithLabelValues("ok").Inc()
}

// Import counts one import with its outcome and duration.
func (m *Metrics) Import(outcome string, took time.Duration) {
	m.imports.WithLabelValues(outcome).Inc()
	m.importD.Observe(took.Seconds())
}

// GaugeFunc registers a gauge read at scrape time (the read model's age, pool stats).
func (m *Metrics) GaugeFunc(name, help string, f func() float64) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
}

// Collector registers a collector of the caller's (the database pool's).
func (m *Metrics) Collector(c prometheus.Collector) { m.Registry.MustRegister(c) }

// RequestIDHeader is accepted from the client (or a proxy) and echoed on every response.
const RequestIDHeader = "X-Request-ID"

// requestIDRE is what an incoming request id may look like: a proxy's id is kept, anything that
// could smuggle text into a log line is replaced.
var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// NewRequestID is 16 random bytes in hex.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// RequestIDKey is where the request id is kept in c.Locals.
const RequestIDKey = "request_id"

// RequestID returns the request's id (set by Middleware).
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(RequestIDKey).(string)
	return id
}

// Middleware times every request, counts it by route pattern and status, and writes one access
// log line: method, route, status, duration, bytes, request id, client. client gives the
// client's address (package clientip). m may be nil (no metrics), log may be nil (no log).
func Middleware(m *Metrics, log *slog.Logger, client func(*fiber.Ctx) string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		id := string(c.Request().Header.Peek(RequestIDHeader))
		if !requestIDRE.MatchString(id) {
			id = NewRequestID()
		}
		c.Locals(RequestIDKey, id)
		c.Set(RequestIDHeader, id)
		err := c.Next()
		if err != nil {
			// Let the app's error handler write the response now, so the status and bytes logged
			// are the ones sent.
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		// After Next, c.Route() is the route that answered; a request no route matched is still
		// at this middleware (mounted with Use on "/") and is labelled as such.
		route := "unmatched"
		if r := c.Route(); r != nil && (r.Path != "/" || c.Path() == "/") {
			route = r.Path
		}
		status := c.Response().StatusCode()
		n := len(c.Response().Body())
		took := time.Since(start)
		if m != nil {
			code := strconv.Itoa(status)
			m.requests.WithLabelValues(route, c.Method(), code).Inc()
			m.duration.WithLabelValues(route, c.Method()).Observe(took.Seconds())
			m.bytes.WithLabelValues(route).Add(float64(n))
		}
		if log != nil {
			log.LogAttrs(c.UserContext(), slog.LevelInfo, "request", slog.String("method", c.Method()), slog.String("route", route),
				slog.Int("status", status), slog.Duration("took", took), slog.Int("bytes", n), slog.String("request_id", id),
				slog.String("client", client(c)))
		}
		return nil
	}
}
