package refdata

import (
	"regexp"
	"strings"
)

// nameIndex finds kab/kota by the way press and officials write them: "Kab Blitar",
// "Kabupaten Blitar", "Kota Jambi". The kind is part of the key because "Kabupaten Bogor" and
// "Kota Bogor" are different places; a key may still map to several codes (a name repeated
// across provinces), and then nothing is resolved.
type nameIndex map[string][]string

func newNameIndex(regions []Region) nameIndex {
	ix := nameIndex{}
	for _, r := range regions {
		kind, base, ok := splitKind(r.Name)
		if !ok {
			continue
		}
		k := kind + "|" + nameKey(base)
		ix[k] = append(ix[k], r.Code)
	}
	return ix
}

// kindPrefixes maps the ways a kind is written (lower case, longest first) to the kind.
var kindPrefixes = []struct{ prefix, kind string }{
	{"kabupaten administrasi ", "kabupaten"},
	{"kota administrasi ", "kota"},
	{"kabupaten ", "kabupaten"},
	{"kab. ", "kabupaten"},
	{"kab ", "kabupaten"},
	{"kota ", "kota"},
}

// splitKind splits "Kab Tanjung Jabung Barat" into ("kabupaten", "Tanjung Jabung Barat").
func splitKind(s string) (kind, base string, ok bool) {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	for _, p := range kindPrefixes {
		if strings.HasPrefix(lower, p.prefix) {
			return p.kind, strings.TrimSpace(s[len(p.prefix):]), true
		}
	}
	return "", "", false
}

var parenthetical = regexp.MustCompile(`\([^)]*\)`)

// nameKey normalises a base name: case, "Kep." for Kepulauan, and spacing/punctuation
// variants ("Bau Bau" = "Baubau", "Toli-Toli" = "Tolitoli").
func nameKey(base string) string {
	s := strings.ToLower(base)
	s = strings.ReplaceAll(s, "kep.", "kepulauan ")
	var b strings.Builder
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// lookup resolves one place name that starts with a kind. It returns the codes it matches
// (one when resolved) and whether the text named a kab/kota at all.
func (ix nameIndex) lookup(place string) (codes []string, namesKabkota bool) {
	place = strings.TrimSpace(parenthetical.ReplaceAllString(place, ""))
	kind, base, ok := splitKind(place)
	if !ok || base == "" {
		return nil, false
	}
	return ix[kind+"|"+nameKey(base)], true
}

// resolvePlaces resolves free text such as "Kota Jambi; Kab Tanjung Jabung Barat" to codes.
// Parts that do not start with Kab/Kabupaten/Kota ("national (…)", "NTT (Ombudsman)",
// "8 kabupaten") resolve to nothing, silently; parts that do but match no or several kab/kota
// are returned in unresolved with a reason.
func (ix nameIndex) resolvePlaces(text string) (codes, unresolved []string) {
	seenCode := map[string]bool{}
	for _, part := range strings.Split(text, ";") {
		part = strings.TrimSpace(part)
		matches, named := ix.lookup(part)
		switch {
		case !named:
		case len(matches) == 1:
			if !seenCode[matches[0]] {
				seenCode[matches[0]] = true
				codes = append(codes, matches[0])
			}
		case len(matches) == 0:
			unresolved = append(unresolved, part+": matches no kab/kota")
		default:
			unresolved = append(unresolved, part+": ambiguous, matches "+strings.Join(matches, ", "))
		}
	}
	return codes, unresolved
}
