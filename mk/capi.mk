# The C ABI: build/libcxreports.so (+ .so.1 soname link), build/libcxreports.a,
# build/cxreports.pc and build/cxreports.h (a copy of the hand-written
# include/cxreports.h; cgo's generated header stays in build/cgo/ as an artifact).
.PHONY: build-capi test-capi bench-capi demo-capi lib fuzz-capi install install-capi
CAPI_SONAME := libcxreports.so.1
CAPI_VERSION = $(shell sed -n 's/^const Version = "\(.*\)"/\1/p' core/version.go)
CAPI_SRC := $(shell find capi core -name '*.go' -not -name '*_test.go' 2>/dev/null) $(wildcard capi/*.c) capi/cxabi.h go.mod go.sum
PREFIX ?= /usr/local

build-capi: $(BUILD)/libcxreports.so $(BUILD)/$(CAPI_SONAME) $(BUILD)/libcxreports.a $(BUILD)/cxreports.pc $(BUILD)/cxreports.h
lib: build-capi

# The real file is libcxreports.so (bindings copy it); its soname is
# libcxreports.so.1, which programs linked with -lcxreports look up at run time.
$(BUILD)/libcxreports.so: $(CAPI_SRC)
	@mkdir -p $(BUILD)/cgo
	$(GO) build -buildmode=c-shared -trimpath -ldflags='-extldflags=-Wl,-soname,$(CAPI_SONAME)' -o $(BUILD)/cgo/libcxreports.so ./capi
	mv $(BUILD)/cgo/libcxreports.so $@
$(BUILD)/$(CAPI_SONAME): $(BUILD)/libcxreports.so
	ln -sf libcxreports.so $@
.PHONY: build-capi-valgrind
build-capi-valgrind: $(BUILD)/valgrind/libcxreports.so
# The same library with the Go runtime's valgrind annotations (-tags valgrind), so
# memcheck understands goroutine stacks and the Go heap; used only by the C test.
$(BUILD)/valgrind/libcxreports.so: $(CAPI_SRC)
	@mkdir -p $(BUILD)/valgrind
	$(GO) build -tags valgrind -buildmode=c-shared -ldflags='-extldflags=-Wl,-soname,$(CAPI_SONAME)' -o $(BUILD)/valgrind/cgo.so ./capi
	mv $(BUILD)/valgrind/cgo.so $@
	rm -f $(BUILD)/valgrind/cgo.h
	ln -sf libcxreports.so $(BUILD)/valgrind/$(CAPI_SONAME)
$(BUILD)/libcxreports.a: $(CAPI_SRC)
	@mkdir -p $(BUILD)/cgo-archive
	$(GO) build -buildmode=c-archive -tags cxstatic -trimpath -o $(BUILD)/cgo-archive/libcxreports.a ./capi
	mv $(BUILD)/cgo-archive/libcxreports.a $@
$(BUILD)/cxreports.h: include/cxreports.h
	@mkdir -p $(BUILD)
	cp $< $@
$(BUILD)/cxreports.pc: capi/cxreports.pc.in core/version.go
	@mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(BUILD)|; s|@LIBDIR@|$${prefix}|; s|@INCLUDEDIR@|$${prefix}|; s|@VERSION@|$(CAPI_VERSION)|' $< >$@

install: install-capi
install-capi: build-capi
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(BUILD)/libcxreports.so $(DESTDIR)$(PREFIX)/lib/$(CAPI_SONAME)
	ln -sf $(CAPI_SONAME) $(DESTDIR)$(PREFIX)/lib/libcxreports.so
	install -m 0644 $(BUILD)/libcxreports.a $(DESTDIR)$(PREFIX)/lib/libcxreports.a
	install -m 0644 include/cxreports.h $(DESTDIR)$(PREFIX)/include/cxreports.h
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$${prefix}/lib|; s|@INCLUDEDIR@|$${prefix}/include|; s|@VERSION@|$(CAPI_VERSION)|' \
		capi/cxreports.pc.in >$(DESTDIR)$(PREFIX)/lib/pkgconfig/cxreports.pc

# (1) dispatcher tests with the race detector (the fuzz seed corpus runs here too);
# (2) the real exported functions driven from go test under cgocheck2;
# (3) the C test program under valgrind, and the C++ header check.
test-capi: build-capi $(BUILD)/cxfake $(BUILD)/valgrind/libcxreports.so
	@test -z "$$(gofmt -l capi)" || { echo "gofmt needed:"; gofmt -l capi; exit 1; }
	$(GO) vet ./capi/...
	$(GO) test -race -count=1 ./capi/dispatch/
	GOEXPERIMENT=cgocheck2 $(GO) test -count=1 ./capi/
	bindings/c/tests/run.sh

fuzz: fuzz-capi
fuzz-capi:
	$(GO) test -run '^$$' -fuzz '^FuzzArgs$$' -fuzztime=30s ./capi/dispatch/

# cx_call against the core called directly, both on loopback to build/cxfake running
# as a separate process (plus the same pair against an in-process fake).
bench-capi: $(BUILD)/cxfake
	CXFAKE=$(BUILD)/cxfake $(GO) test -run '^$$' -bench '^BenchmarkCallOverhead$$' -benchtime=2000x ./capi/

demo-capi: build-capi $(BUILD)/cxfake
	@mkdir -p $(BUILD)/c $(OUT)
	$(CC) -Wall -Wextra -O2 -I$(BUILD) -o $(BUILD)/c/render_pdf bindings/c/render_pdf.c -L$(BUILD) -lcxreports -Wl,-rpath,$(BUILD)
	scripts/with-fake.sh $(BUILD)/c/render_pdf $(OUT)/demo-c.pdf
