package dashboard

import "mppmap/data"

// statusStyle is how a status is drawn everywhere: map, legend, headline and table.
type statusStyle struct {
	// Value is the number a map data item carries; the categorical legend (a piecewise
	// visualMap) matches pieces on it. It starts at 1 because go-echarts drops zero bounds.
	Value int
	// Color is from the Okabe–Ito palette, which stays distinguishable under the common forms
	// of colour-blindness. Unknown is a neutral grey, far from "no MPP" orange: the product
	// rule is that unknown never looks like "no".
	Color string
	// Class is the CSS class (app.css) carrying the same colour for HTML swatches.
	Class string
}

// statusStyles returns the style of each status; app.css repeats the colours (a test checks).
func statusStyles() map[data.Status]statusStyle {
	return map[data.Status]statusStyle{
		data.StatusYes:        {Value: 1, Color: "#0072B2", Class: "st-yes"},
		data.StatusInProgress: {Value: 2, Color: "#56B4E9", Class: "st-progress"},
		data.StatusNo:         {Value: 3, Color: "#E69F00", Class: "st-no"},
		data.StatusUnknown:    {Value: 4, Color: "#BBBBBB", Class: "st-unknown"},
	}
}

// Colours for map areas that carry no status at all (a region in the geometry but not in the
// read model) and for statuses hidden by clicking the legend; both lighter than any status.
const (
	colorNoItem     = "#F4F4F4"
	colorOutOfRange = "#EEEEEE"
	colorBorder     = "#FFFFFF"
	colorHover      = "#CC79A7"
	// The region a locator map is about: Okabe–Ito vermillion, apart from every status colour,
	// outlined in near-black.
	colorFocus     = "#D55E00"
	colorFocusLine = "#1A1A1A"
)
