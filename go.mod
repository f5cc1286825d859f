module github.com/cxclient/cxreports

go 1.26
