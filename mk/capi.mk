# The C ABI: build/linux-x64/libcxreports.so and build/linux-arm64/libcxreports.so (the
# shipped libraries), build/libcxreports.so (+ .so.1 soname link: the host's one),
# build/libcxreports.a, build/cxreports.pc and build/cxreports.h (a copy of the
# hand-written include/cxreports.h; cgo's generated header stays in build/linux-*/cgo/).
.PHONY: build-capi test-capi bench-capi demo-capi lib fuzz-capi install install-capi
CAPI_SONAME := libcxreports.so.1
CAPI_VERSION = $(shell sed -n 's/^const Version = "\(.*\)"/\1/p' core/version.go)
CAPI_SRC := $(shell find capi core -name '*.go' -not -name '*_test.go' 2>/dev/null) $(wildcard capi/*.c) capi/cxabi.h go.mod go.sum
PREFIX ?= /usr/local

# The shipped libraries and the zig compiler that builds them (see below).
ZIG_VERSION := 0.17.0
ZIGVENV := $(BUILD)/zigvenv
ZIG_STAMP := $(ZIGVENV)/.ziglang-$(ZIG_VERSION)
ZIGCC = $(ZIGVENV)/bin/python -m ziglang cc
GLIBC_BASELINE := 2.17
LIB_PLATFORMS := linux-x64 linux-arm64
goarch_linux-x64 := amd64
goarch_linux-arm64 := arm64
zigtarget_linux-x64 := x86_64-linux-gnu.$(GLIBC_BASELINE)
zigtarget_linux-arm64 := aarch64-linux-gnu.$(GLIBC_BASELINE)
elfmachine_linux-x64 := X86-64
elfmachine_linux-arm64 := AArch64
HOST_PLATFORM := linux-$(patsubst x86_64,x64,$(patsubst aarch64,arm64,$(shell uname -m)))
LIBS := $(foreach p,$(LIB_PLATFORMS),$(BUILD)/$(p)/libcxreports.so)

build-capi: $(LIBS) $(BUILD)/libcxreports.so $(BUILD)/$(CAPI_SONAME) $(BUILD)/libcxreports.a $(BUILD)/cxreports.pc $(BUILD)/cxreports.h
lib: build-capi

# The shipped libraries: build/linux-x64/ and build/linux-arm64/ (Node's platform-arch
# names), each cross-compiled with zig's C compiler (PyPI package ziglang, pinned, in its
# own venv) against glibc 2.17, the manylinux2014 baseline, so one file loads on any
# glibc Linux of the last decade; stripped (-s -w, --strip-all). scripts/check-so.sh
# refuses a library with a newer GLIBC symbol version, symbols, or over 12 MB.
# build/libcxreports.so is a link to the host's one: the C, Python and Node tests load
# exactly what the wheels and the npm package ship. Its soname is libcxreports.so.1,
# which programs linked with -lcxreports look up at run time.

$(ZIG_STAMP):
	rm -rf $(ZIGVENV)
	python3 -m venv $(ZIGVENV)
	$(ZIGVENV)/bin/python -m pip install -q --disable-pip-version-check ziglang==$(ZIG_VERSION)
	touch $@

$(BUILD)/linux-%/libcxreports.so: $(CAPI_SRC) $(ZIG_STAMP) scripts/check-so.sh
	@test -n "$(goarch_linux-$*)" || { echo "capi: no cross build for linux-$* (have: $(LIB_PLATFORMS))" >&2; exit 1; }
	@mkdir -p $(@D)/cgo
	CGO_ENABLED=1 GOOS=linux GOARCH=$(goarch_linux-$*) CC="$(ZIGCC) -target $(zigtarget_linux-$*)" \
		$(GO) build -buildmode=c-shared -trimpath \
		-ldflags='-s -w -extldflags=-Wl,-soname,$(CAPI_SONAME),--strip-all' -o $(@D)/cgo/libcxreports.so ./capi
	scripts/check-so.sh $(@D)/cgo/libcxreports.so $(elfmachine_linux-$*) $(GLIBC_BASELINE)
	mv -f $(@D)/cgo/libcxreports.so $@
	ln -sfn libcxreports.so $(@D)/$(CAPI_SONAME)
$(BUILD)/libcxreports.so: $(BUILD)/$(HOST_PLATFORM)/libcxreports.so
	ln -sfn $(HOST_PLATFORM)/libcxreports.so $@.tmp && mv -fT $@.tmp $@
$(BUILD)/$(CAPI_SONAME): $(BUILD)/libcxreports.so
	ln -sf libcxreports.so $@
.PHONY: build-capi-valgrind
build-capi-valgrind: $(BUILD)/valgrind/libcxreports.so
# The same library with the Go runtime's valgrind annotations (-tags valgrind), so
# memcheck understands goroutine stacks and the Go heap; used only by the C test.
$(BUILD)/valgrind/libcxreports.so: $(CAPI_SRC)
	@mkdir -p $(BUILD)/valgrind
	$(GO) build -tags valgrind -buildmode=c-shared -ldflags='-extldflags=-Wl,-soname,$(CAPI_SONAME)' -o $(BUILD)/valgrind/cgo.so ./capi
	mv -f $(BUILD)/valgrind/cgo.so $@
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

# The library is installed under a temporary name and renamed into place: a process
# that has the old one loaded keeps its file (overwriting a mapped .so crashes it).
install: install-capi
install-capi: build-capi
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(BUILD)/libcxreports.so $(DESTDIR)$(PREFIX)/lib/.$(CAPI_SONAME).tmp
	mv -f $(DESTDIR)$(PREFIX)/lib/.$(CAPI_SONAME).tmp $(DESTDIR)$(PREFIX)/lib/$(CAPI_SONAME)
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
	GO=$(GO) scripts/gotest.sh -race -count=1 ./capi/dispatch/
	GOEXPERIMENT=cgocheck2 GO=$(GO) scripts/gotest.sh -count=1 ./capi/
	bindings/c/tests/run.sh

# The shipped libraries pass scripts/check-so.sh (glibc 2.17, stripped, under 12 MB),
# and the arm64 one runs the C test program under qemu-user (~8 s) against build/cxfake.
.PHONY: test-capi-libs test-capi-arm64
test-capi: test-capi-libs test-capi-arm64
test-capi-libs: $(LIBS)
	$(foreach p,$(LIB_PLATFORMS),scripts/check-so.sh $(BUILD)/$(p)/libcxreports.so $(elfmachine_$(p)) $(GLIBC_BASELINE) &&) true
test-capi-arm64: $(BUILD)/linux-arm64/libcxreports.so $(BUILD)/cxfake $(BUILD)/cxreports.h $(ZIG_STAMP)
	CC="$(ZIGCC) -target $(zigtarget_linux-arm64)" bindings/c/tests/run-arm64.sh

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
