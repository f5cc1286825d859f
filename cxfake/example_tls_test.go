package cxfake_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/cxclient/cxreports/cxfake"
)

// A server across the internet: HTTPS with HTTP/2, 20 ms each way, 100 Mbit/s.
func ExampleWithTLS() {
	srv := cxfake.NewServer(cxfake.WithTLS(), cxfake.WithLatency(20*time.Millisecond), cxfake.WithBandwidth(100e6))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/workspaces", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	res, err := srv.Client().Do(req) // trusts srv.CAPEM
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.Proto, res.StatusCode, srv.Connections())
	// Output: HTTP/2.0 200 1
}
