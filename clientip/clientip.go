// Package clientip finds the address of the client behind the reverse proxies mppmap trusts.
// Fiber's c.IP() with a proxy header returns the header as sent — or its leftmost address,
// which the client chooses — so a client could name any address and escape a per-client limit.
// Here X-Forwarded-For is read from the right: each trusted proxy appends the address it saw,
// so the first address from the right that is not a trusted proxy is the client.
package clientip

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Resolver knows the trusted proxies. The zero Resolver trusts none: the client is the peer.
type Resolver struct {
	trusted []netip.Prefix
}

// New parses trusted proxies given as IPs or CIDRs ("10.0.0.1", "10.0.0.0/8").
func New(trusted []string) (*Resolver, error) {
	r := &Resolver{}
	for _, t := range trusted {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if p, err := netip.ParsePrefix(t); err == nil {
			r.trusted = append(r.trusted, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(t)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an IP address or CIDR", t)
		}
		r.trusted = append(r.trusted, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return r, nil
}

func (r *Resolver) isTrusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Client is the client's address of a request whose TCP peer is peer and whose X-Forwarded-For
// headers are xff (all of them, in order). Only a trusted peer's header is read; a malformed
// entry stops the walk (what is left of it cannot be trusted) and the last trusted hop's
// address stands.
func (r *Resolver) Client(peer netip.Addr, xff []string) netip.Addr {
	peer = peer.Unmap()
	if !r.isTrusted(peer) {
		return peer
	}
	var hops []string
	for _, h := range xff {
		for _, part := range strings.Split(h, ",") {
			if part = strings.TrimSpace(part); part != "" {
				hops = append(hops, part)
			}
		}
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			if ap, err2 := netip.ParseAddrPort(hops[i]); err2 == nil {
				a = ap.Addr()
			} else {
				return client
			}
		}
		a = a.Unmap()
		client = a
		if !r.isTrusted(a) {
			return a
		}
	}
	return client
}

// Of is Client for a Fiber request: its TCP peer and its X-Forwarded-For headers. The result is
// a value, not a view into Fiber's buffers, so it may be kept past the handler.
func (r *Resolver) Of(c *fiber.Ctx) netip.Addr {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	var xff []string
	c.Request().Header.VisitAll(func(k, v []byte) {
		if strings.EqualFold(string(k), fiber.HeaderXForwardedFor) {
			xff = append(xff, string(v))
		}
	})
	return r.Client(peer, xff)
}

// String is Of as text, for limiter keys and logs.
func (r *Resolver) String(c *fiber.Ctx) string { return r.Of(c).String() }
