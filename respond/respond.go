// Package respond is the one response path of mppmap: the API, the pages and the static assets
// all send bodies encoded once (identity, gzip and, where it pays, brotli) with a strong ETag,
// answer If-None-Match with 304 by the rules of RFC 9110, negotiate Content-Encoding by
// q-value, and always say Vary: Accept-Encoding. Before this package the three surfaces each
// had their own copy of this plumbing with three different ETag rules.
package respond

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/semaphore"
)

// Body is a response body encoded once: the raw bytes, a gzip and (when smaller) a brotli copy,
// and a strong ETag over the raw bytes. A Body is immutable once built and safe to share.
type Body struct {
	ContentType string
	Raw         []byte
	Gzip        []byte // nil when compression does not pay
	Brotli      []byte // nil when it is not smaller than Gzip
	ETag        string // quoted, strong: "\"hex\""
}

// Cache-Control policies, one per kind of resource.
const (
	// Data changes a few times a day and a reload changes every ETag: a short max-age with
	// revalidation keeps public reads cheap and fresh.
	CacheData = "public, max-age=300"
	// Pages are revalidated on every view so a reader never sees a page older than the data;
	// the 304 costs a round trip, not a body.
	CachePage = "no-cache"
	// Static assets carry a content hash in their URL: cacheable forever.
	CacheImmutable = "public, max-age=31536000, immutable"
)

// New encodes raw once at the best compression (gzip -9, brotli 11 for bodies up to 1 MiB):
// for bodies built once per snapshot and served many times.
func New(contentType string, raw []byte) (*Body, error) {
	gz, err := gzipBest(raw)
	if err != nil {
		return nil, fmt.Errorf("gzip body: %w", err)
	}
	br, err := brotliBytes(raw)
	if err != nil {
		return nil, fmt.Errorf("brotli body: %w", err)
	}
	return build(contentType, raw, gz, br), nil
}

// Precompressed is a body whose gzip and brotli copies were made ahead (the npm build writes
// .gz and .br beside each bundle); gz is computed when nil, br may stay nil.
func Precompressed(contentType string, raw, gz, br []byte) (*Body, error) {
	if gz == nil {
		var err error
		if gz, err = gzipBest(raw); err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
	}
	return build(contentType, raw, gz, br), nil
}

func build(contentType string, raw, gz, br []byte) *Body {
	if len(gz) >= len(raw) {
		gz = nil
	}
	if br != nil && (len(br) >= len(raw) || (gz != nil && len(br) >= len(gz))) {
		br = nil
	}
	sum := sha256.Sum256(raw)
	return &Body{ContentType: contentType, Raw: raw, Gzip: gz, Brotli: br, ETag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// Compressor is New with a bound on the bytes being compressed at once. Compressing at the best
// levels takes scratch memory of up to ~100 times the body (~30 MB for a 400 KB page, measured),
// and the first requests after a reload each ask for another page not encoded yet: 64
// connections did that to 520 MB of RSS. The bound is a budget of raw bytes (a body larger than
// the budget takes all of it), so many small bodies still compress side by side while two large
// ones wait for each other. Each surface owns one.
type Compressor struct {
	budget int64
	sem    *semaphore.Weighted
}

// NewCompressor returns a Compressor compressing at most budget raw bytes at a time.
func NewCompressor(budget int64) *Compressor {
	return &Compressor{budget: budget, sem: semaphore.NewWeighted(budget)}
}

// CompressBudget is the surfaces' budget: ~25 MB of scratch at the worst.
const CompressBudget = 256 << 10

// Fast encodes a body of the long tail — a page per region, cached in an LRU and rebuilt when
// it falls out — quickly and with little scratch: gzip at the default level and brotli at
// quality 5. Measured on a region page (55 KB): brotli 5 takes 3 ms and 1.5 MB of scratch for
// 14.6 KB, quality 11 73 ms and 6.8 MB for 13.3 KB; gzip 6 is within 2% of gzip 9.
func Fast(contentType string, raw []byte) (*Body, error) {
	gz, err := gzipAt(raw, gzip.DefaultCompression)
	if err != nil {
		return nil, fmt.Errorf("gzip body: %w", err)
	}
	br, err := brotliAt(raw, brotliBigQuality)
	if err != nil {
		return nil, fmt.Errorf("brotli body: %w", err)
	}
	return build(contentType, raw, gz, br), nil
}

// New is respond.New within the budget.
func (c *Compressor) New(contentType string, raw []byte) (*Body, error) {
	w := min(int64(len(raw)), c.budget)
	if w > 0 {
		// Acquire only fails on a cancelled context; the background one never is.
		_ = c.sem.Acquire(context.Background(), w)
		defer c.sem.Release(w)
	}
	return New(contentType, raw)
}

// Uncompressed is a body of a format that is compressed already (PNG): no gzip or brotli copy.
func Uncompressed(contentType string, raw []byte) *Body {
	return build(contentType, raw, nil, nil)
}

// Encoder encodes bodies that depend on the request (a status on an arbitrary date, changes in
// a range): a fast gzip copy only, from pooled writers, since each is served once or a few times.
type Encoder struct {
	writers sync.Pool
}

// NewEncoder returns an Encoder with an empty writer pool.
func NewEncoder() *Encoder {
	e := &Encoder{}
	// A gzip.Writer holds ~800 KB of state: reuse them across requests.
	e.writers.New = func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }
	return e
}

// dynamicMin is the size under which a per-request body is not compressed: the gzip header
// and a CPU cycle buy nothing for a few hundred bytes.
const dynamicMin = 512

// Encode builds a Body for one request.
func (e *Encoder) Encode(contentType string, raw []byte) (*Body, error) {
	var gz []byte
	if len(raw) > dynamicMin {
		var buf bytes.Buffer
		w := e.writers.Get().(*gzip.Writer)
		defer e.writers.Put(w)
		w.Reset(&buf)
		if _, err := w.Write(raw); err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		gz = buf.Bytes()
	}
	return build(contentType, raw, gz, nil), nil
}

// Serve sends b with the given Cache-Control: 304 when If-None-Match matches its ETag, else the
// best encoding the client accepts. Headers the caller set before (Content-Disposition, CSP)
// are kept. Status codes other than 200 are the caller's (c.Status before Serve); a 304 is only
// answered for a 200 response.
func Serve(c *fiber.Ctx, b *Body, cacheControl string) error {
	c.Set(fiber.HeaderETag, b.ETag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderCacheControl, cacheControl)
	if c.Response().StatusCode() == fiber.StatusOK && NoneMatch(c.Get(fiber.HeaderIfNoneMatch), b.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, b.ContentType)
	switch Negotiate(c.Get(fiber.HeaderAcceptEncoding), b.Brotli != nil, b.Gzip != nil) {
	case "br":
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(b.Brotli)
	case "gzip":
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(b.Gzip)
	}
	return c.Send(b.Raw)
}

func gzipBest(raw []byte) ([]byte, error) { return gzipAt(raw, gzip.BestCompression) }

func gzipAt(raw []byte, level int) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Brotli quality by body size. Quality 11 costs ~4× quality 10 for ~3% fewer bytes, and
// bodies are compressed when a read model is built — on every steward's edit, not only at
// start — so the write waits for it: measured on / (415 KB of HTML) q11 1.2 s → 43.3 KB,
// q10 0.31 s → 44.5 KB, q9 70 ms → 49.9 KB (gzip -9: 57 KB); the 400 KB national layer q11
// 0.83 s → 34.2 KB, q10 0.31 s → 35.8 KB. Bodies up to brotliSmallBody keep 11 (a 20 KB profile
// takes milliseconds). Above brotliBigBody quality 5: on 3.3 MB of boundary GeoJSON quality 11
// takes ~9 s (620 KB), 10 ~6 s, 5 0.2 s (936 KB, no better than gzip -9's 928 KB).
const (
	brotliSmallBody  = 128 << 10
	brotliBigBody    = 1 << 20
	brotliMidQuality = 10
	brotliBigQuality = 5
)

func brotliBytes(raw []byte) ([]byte, error) {
	quality := brotli.BestCompression
	switch {
	case len(raw) > brotliBigBody:
		quality = brotliBigQuality
	case len(raw) > brotliSmallBody:
		quality = brotliMidQuality
	}
	return brotliAt(raw, quality)
}

func brotliAt(raw []byte, quality int) ([]byte, error) {
	// The window need not exceed the body: a 20 KB profile gets a 64 KB window, not brotli's
	// default 4 MB, which keeps the encoder's scratch memory (and the server's RSS) small.
	lgwin := 16
	for lgwin < 24 && 1<<lgwin < len(raw) {
		lgwin++
	}
	var br bytes.Buffer
	w := brotli.NewWriterOptions(&br, brotli.WriterOptions{Quality: quality, LGWin: lgwin})
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return br.Bytes(), nil
}
