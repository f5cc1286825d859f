package com.example.app;

import com.cxreports.CxReportsClient;
import com.cxreports.NotFoundException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What issue 19 asks of a fresh project that depends only on com.cxreports:cxreports:
 * list the workspaces, save a PDF, and catch NotFoundException with status 404 for a
 * report that does not exist. Reads CXREPORTS_URL and CXREPORTS_TOKEN; the PDF goes to
 * args[0]. Any miss throws, so the JVM exits non-zero and the script fails.
 */
public final class UserProject {
    private UserProject() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args.length > 0 ? args[0] : "report.pdf");
        try (CxReportsClient client = CxReportsClient.builder()
                .baseUrl(System.getenv("CXREPORTS_URL"))
                .token(System.getenv("CXREPORTS_TOKEN"))
                .defaultWorkspaceId(1)
                .build()) {
            JsonNode workspaces = client.getWorkspaces();
            check(workspaces.isArray() && workspaces.size() > 0, "getWorkspaces: want a non-empty array, got " + workspaces);
            System.out.println("workspaces: " + workspaces.size());

            client.savePdf(160, out);
            byte[] head = new byte[5];
            try (InputStream in = Files.newInputStream(out)) {
                check(in.read(head) == 5 && new String(head, "US-ASCII").equals("%PDF-"), "savePdf: " + out + " is not a PDF");
            }
            System.out.println("saved: " + out + ", " + Files.size(out) + " bytes");

            try {
                client.getPdf(999999);
                check(false, "getPdf(999999): no exception");
            } catch (NotFoundException e) {
                check(e.getStatus() == 404, "getPdf(999999): status " + e.getStatus() + ", want 404");
                System.out.println("report 999999: NotFoundException, status " + e.getStatus());
            }
        }
        System.out.println("java " + System.getProperty("java.specification.version") + ": ok");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
