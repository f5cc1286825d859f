//go:build windows && wine

package dispatch

// Wine lacks what t.TempDir's cleanup needs: internal/winetest.
import _ "github.com/cxclient/cxreports/internal/winetest"
