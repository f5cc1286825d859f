//go:build windows && wine

package batchlimit

// Wine lacks what t.TempDir's cleanup needs: internal/winetest.
import _ "github.com/cxclient/cxreports/internal/winetest"
