package com.cxreports;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Options of renderBatch; the defaults are the library's (concurrency auto, no force, 50 retries). */
public final class BatchOptions {
    private Path outDir;
    private Integer concurrency;
    private boolean auto;
    private Boolean force;
    private Integer retries;
    private Duration timeout;
    Consumer<? super Progress> onProgress;

    public static BatchOptions create() {
        return new BatchOptions();
    }

    /** Outputs are relative to this directory and must stay under it. */
    public BatchOptions outDir(Path outDir) {
        this.outDir = outDir;
        return this;
    }

    /** Exactly n renders in flight (n at least 1). */
    public BatchOptions concurrency(int n) {
        if (n < 1) {
            throw Calls.invalid("renderBatch: concurrency must be at least 1, got " + n);
        }
        this.concurrency = n;
        this.auto = false;
        return this;
    }

    /** The library's default: 2 renders in flight, more while renders succeed and stay fast, fewer after 429/503. */
    public BatchOptions concurrencyAuto() {
        this.concurrency = null;
        this.auto = true;
        return this;
    }

    /** Render items whose output exists too (default: skip them, so that a rerun resumes). */
    public BatchOptions force(boolean force) {
        this.force = force;
        return this;
    }

    /** How many 429/503 answers in a row the batch takes (default 50, 0 = none). */
    public BatchOptions retries(int retries) {
        this.retries = retries;
        return this;
    }

    /** Bounds the whole batch. */
    public BatchOptions timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** renderBatchAsync: the raw progress events (stage "item" per item, then "batch"). */
    public BatchOptions onProgress(Consumer<? super Progress> onProgress) {
        this.onProgress = onProgress;
        return this;
    }

    void apply(ObjectNode args) {
        if (outDir != null) {
            args.put("out_dir", outDir.toAbsolutePath().toString());
        }
        if (auto) {
            args.set("concurrency", TextNode.valueOf("auto"));
        } else if (concurrency != null) {
            args.set("concurrency", IntNode.valueOf(concurrency));
        }
        if (force != null) {
            args.put("force", force);
        }
        if (retries != null) {
            args.put("retries", retries);
        }
        if (timeout != null) {
            args.set("timeout", CallOptions.seconds("timeout", timeout));
        }
    }
}
