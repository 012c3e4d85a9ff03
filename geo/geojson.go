package geo

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// AppendGeoJSONGeometry appends mp as a compact RFC 7946 geometry object to dst: a "Polygon"
// when mp has one polygon, else a "MultiPolygon"; every coordinate rounded to decimals places
// with no trailing zeros ("106.8", not "106.800"). Ring orientation is written as given
// (Simplify already returns RFC 7946 orientation). An empty mp is written as an empty
// MultiPolygon.
func AppendGeoJSONGeometry(dst []byte, mp orb.MultiPolygon, decimals int) []byte {
	scale := math.Pow(10, float64(decimals))
	if len(mp) == 1 {
		dst = append(dst, `{"type":"Polygon","coordinates":`...)
		dst = appendPolygon(dst, mp[0], scale, decimals)
		return append(dst, '}')
	}
	dst = append(dst, `{"type":"MultiPolygon","coordinates":[`...)
	for i, p := range mp {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendPolygon(dst, p, scale, decimals)
	}
	return append(dst, "]}"...)
}

func appendPolygon(dst []byte, p orb.Polygon, scale float64, decimals int) []byte {
	dst = append(dst, '[')
	for i, r := range p {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		for j, pt := range r {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '[')
			dst = appendCoord(dst, pt[0], scale, decimals)
			dst = append(dst, ',')
			dst = appendCoord(dst, pt[1], scale, decimals)
			dst = append(dst, ']')
		}
		dst = append(dst, ']')
	}
	return append(dst, ']')
}

// appendCoord writes v rounded to decimals places, in integer arithmetic so the text is exact.
func appendCoord(dst []byte, v, scale float64, decimals int) []byte {
	n := int64(math.Round(v * scale))
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	var pow int64 = 1
	for i := 0; i < decimals; i++ {
		pow *= 10
	}
	dst = strconv.AppendInt(dst, n/pow, 10)
	frac := n % pow
	if frac == 0 {
		return dst
	}
	width := decimals
	for frac%10 == 0 {
		frac /= 10
		width--
	}
	dst = append(dst, '.')
	s := strconv.AppendInt(nil, frac, 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}
