-- A mixed public load, as a story going out brings it: pages, map layers, region profiles,
-- exports, links carrying tracking parameters, and browsers revalidating what they have
-- (If-None-Match with the ETag the server gave them earlier).
--   wrk -t2 -c64 -d30s --latency -s scripts/wrk-mixed.lua http://127.0.0.1:8080 -- 32.73 11.01 \
--       '/api/v1/progress|"3f…"' ...
-- The arguments are kab/kota codes to spread the pages and profiles over, and PATH|ETAG pairs
-- (scripts/bench.sh fetches them first): a third of the requests for those paths revalidate
-- with If-None-Match, as a browser holding them does (wrk's response() cannot tell which
-- request it answers, so the ETags cannot be learned during the run). Exports are limited
-- to 30 per minute per client: each export request names another client in X-Forwarded-For
-- (from the IPv6 documentation prefix), so the server must trust 127.0.0.1 as a proxy
-- (-trusted-proxies 127.0.0.1) — as it does behind nginx. Prints the status codes and the mix.

local codes = {"32.73"}
local provinces = {"32"}
local n, etags = 0, {}
-- Globals, not locals: done() reads them from each thread with thread:get.
counts, kinds = {}, {}

-- weight, kind, path builder
local mix = {
  {14, "page", function(c) return "/wilayah/" .. c end},
  {6,  "page", function(c) return "/en/wilayah/" .. c end},
  {6,  "page", function() return "/" end},
  {3,  "page", function() return "/en" end},
  {4,  "page", function(_, p) return "/provinsi/" .. p end},
  {2,  "page", function() return "/progres" end},
  {1,  "page", function() return "/fiskal" end},
  {1,  "page", function() return "/metodologi" end},
  {2,  "page", function() return "/embed/peta" end},
  {8,  "layer", function() return "/api/v1/regions.geojson?detail=national" end},
  {3,  "layer", function(_, p) return "/api/v1/regions.geojson?detail=province&province=" .. p end},
  {1,  "layer", function() return "/api/v1/regions.geojson?detail=full" end},
  {14, "profile", function(c) return "/api/v1/regions/" .. c end},
  {3,  "api", function(_, p) return "/api/v1/provinces/" .. p end},
  {3,  "api", function() return "/api/v1/progress" end},
  {1,  "api", function() return "/api/v1/regions?status=yes" end},
  {1,  "export", function() return "/api/v1/export/regions.csv" end},
  {1,  "export", function() return "/api/v1/export/regions.geojson" end},
  -- Unknown query parameters, a new value each time: pages ignore them (tracking tags on shared
  -- links), the API answers 400 naming the parameter (its contract) — those are the 400s.
  {6,  "unknown-param", function() return "/?utm_source=share&fbclid=" .. n end},
  {4,  "unknown-param", function(c) return "/wilayah/" .. c .. "?gclid=" .. n end},
  {3,  "unknown-param-api-400", function(c) return "/api/v1/regions/" .. c .. "?cachebust=" .. n end},
}
local total = 0
for _, m in ipairs(mix) do total = total + m[1] end

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local cs, ps = {}, {}
  for _, a in ipairs(args) do
    local path, etag = string.match(a, "^(.+)|(.+)$")
    if path then
      etags[path] = etag
    else
      table.insert(cs, a)
      ps[string.sub(a, 1, 2)] = true
    end
  end
  if #cs > 0 then
    codes, provinces = cs, {}
    for p in pairs(ps) do table.insert(provinces, p) end
  end
  math.randomseed(os.time() + (id or 0) * 7919)
end

function request()
  n = n + 1
  local r = math.random(total)
  local m
  for _, x in ipairs(mix) do
    r = r - x[1]
    if r <= 0 then m = x break end
  end
  local path = m[3](codes[math.random(#codes)], provinces[math.random(#provinces)])
  local kind = m[2]
  local hdr = {["Accept-Encoding"] = "br, gzip"}
  if kind == "export" then
    hdr["X-Forwarded-For"] = string.format("2001:db8::%x:%x", math.random(0, 65535), math.random(0, 65535))
  elseif etags[path] and math.random(3) == 1 then
    hdr["If-None-Match"] = etags[path]
    kind = "conditional"
  end
  kinds[kind] = (kinds[kind] or 0) + 1
  return wrk.format("GET", path, hdr)
end

function response(status)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local st, ks = {}, {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do st[k] = (st[k] or 0) + v end
    for k, v in pairs(t:get("kinds")) do ks[k] = (ks[k] or 0) + v end
  end
  local out = {}
  for k, v in pairs(st) do table.insert(out, k .. ": " .. v) end
  table.sort(out)
  io.write("status codes: " .. table.concat(out, ", ") .. "\n")
  out = {}
  for k, v in pairs(ks) do table.insert(out, k .. " " .. v) end
  table.sort(out)
  io.write("requests sent by kind: " .. table.concat(out, ", ") .. "\n")
end
