package mapsvg

import (
	"fmt"
	"math"
	"net/url"
	"strings"
)

// The checks below are allow-lists, not escapers: a value that passes them is also escaped
// when written, but a colour, class or link that fails is a caller bug (or hostile data that
// reached the caller), and rendering it anyway would either break the drawing or put a script
// URL behind a click.

// checkColor accepts "#rgb" and "#rrggbb" (either case) — the forms every SVG renderer,
// browser and print tool understands, and that cannot smuggle a url(...) or an expression.
func checkColor(c string) error {
	if (len(c) != 4 && len(c) != 7) || c[0] != '#' {
		return fmt.Errorf("colour %q: want #rgb or #rrggbb", c)
	}
	for i := 1; i < len(c); i++ {
		if !isHex(c[i]) {
			return fmt.Errorf("colour %q: want #rgb or #rrggbb", c)
		}
	}
	return nil
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
}

// checkClass accepts one CSS class name of [a-z0-9-]: enough for the palette's st-* classes and
// nothing that could end the attribute or add a second class behind the caller's back.
func checkClass(c string) error {
	if c == "" {
		return nil
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-') {
			return fmt.Errorf("class %q: want [a-z0-9-]", c)
		}
	}
	return nil
}

// checkCode accepts a join key of [A-Za-z0-9._-] (Kemendagri codes look like "32.73"): it
// becomes part of an element id, so it must not contain spaces or markup, and it must not be
// empty.
func checkCode(c string) error {
	if c == "" || len(c) > 64 {
		return fmt.Errorf("code %q: want 1 to 64 characters", c)
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '_' || b == '-') {
			return fmt.Errorf("code %q: want [A-Za-z0-9._-]", c)
		}
	}
	return nil
}

// checkID accepts an element id that starts with a letter and continues with [A-Za-z0-9_-],
// so that the ids derived from it ("<id>-title", "<id>-32.73") are valid and need no CSS
// escaping of their prefix.
func checkID(id string) error {
	for i := 0; i < len(id); i++ {
		b := id[i]
		letter := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
		if !letter && (i == 0 || !('0' <= b && b <= '9' || b == '_' || b == '-')) {
			return fmt.Errorf("id %q: want a letter then [A-Za-z0-9_-]", id)
		}
	}
	return nil
}

// checkHref accepts a same-site path ("/wilayah/32.73") or an absolute http(s) URL. Everything
// else is refused: javascript: and data: URLs run code on click; "//host" and "/\host" are
// other hosts in a browser's eyes (it reads a backslash as a slash); and browsers strip tabs
// and newlines from URLs, so "/\t/host" would become "//host" — hence no control characters,
// spaces or backslashes anywhere.
func checkHref(h string) error {
	for i := 0; i < len(h); i++ {
		if b := h[i]; b <= ' ' || b == 0x7f || b == '\\' {
			return fmt.Errorf("href %q: control character, space or backslash", h)
		}
	}
	u, err := url.Parse(h)
	if err != nil {
		return fmt.Errorf("href %q: %w", h, err)
	}
	switch {
	case strings.HasPrefix(h, "/"):
		if strings.HasPrefix(h, "//") {
			return fmt.Errorf("href %q: protocol-relative URLs are other hosts", h)
		}
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			return fmt.Errorf("href %q: no host", h)
		}
	default:
		return fmt.Errorf("href %q: want a path starting with / or an http(s) URL", h)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
