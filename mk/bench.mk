# make bench-realistic: every client (official Python client 0.0.5, requests.Session, our
# Python binding, Node's fetch, our Node binding, curl) side by side against build/cxfake
# over TLS with 0/5/25 ms latency and on plain HTTP -> build/bench-realistic.md.
# BENCH_REALISTIC_ARGS passes options, e.g. --conditions plain,tls0 --workloads small,big.
.PHONY: bench-realistic
bench: bench-realistic
BENCH_REALISTIC_ARGS ?=

# Phony prerequisites only: this fragment is read before the ones that name the files.
bench-realistic: build-python build-go build-node
	PYTHONPATH=$(CURDIR)/bindings/python CXREPORTS_LIB=$(BUILD)/libcxreports.so \
		$(BUILD)/pyvenv/bin/python scripts/bench_realistic.py --fake $(BUILD)/cxfake \
		--out $(BUILD)/bench-realistic.md $(BENCH_REALISTIC_ARGS)

# make bench-batch: `cxreports batch` against cxfake -render-slots K (2, 6, 24): --concurrency
# auto against fixed 4, 8 and 32, and two auto batches sharing 6 slots, on plain HTTP and over
# TLS with 25 ms latency -> build/bench-batch.md (the README carries the table).
# make bench-batch-scale: one batch of a million lines from a pipe, and the CLI's peak RSS.
.PHONY: bench-batch bench-batch-scale
bench: bench-batch
BENCH_BATCH_ARGS ?=
bench-batch: build-cli
	$(GO) run ./scripts/benchbatch -cli $(BUILD)/cxreports -out $(BUILD)/bench-batch.md $(BENCH_BATCH_ARGS)
bench-batch-scale: build-cli
	$(GO) run ./scripts/benchbatch -cli $(BUILD)/cxreports -million 1000000
