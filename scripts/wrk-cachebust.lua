-- Every request asks for the page with a new utm_source value, as links shared on social media
-- carry (fbclid, utm_*, gclid): a cache keyed on the raw URL would render the page each time.
local n = 0
request = function()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "utm_source=" .. n)
end
