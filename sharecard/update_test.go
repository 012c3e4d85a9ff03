package sharecard

// Registers -update, which `go test ./... -update` passes to every test binary (see package golden).
import _ "mppmap/golden"
