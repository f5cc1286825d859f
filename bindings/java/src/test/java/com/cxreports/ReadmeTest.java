package com.cxreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bindings/java/README.md's example, compiled and run as printed against the fake (GUID ids). */
class ReadmeTest {
    @Test
    void theReadmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        String readme = new String(Files.readAllBytes(Paths.get("README.md")), StandardCharsets.UTF_8);
        int start = readme.indexOf("```java\n");
        assertTrue(start >= 0, "README.md has no ```java block");
        start += "```java\n".length();
        String code = readme.substring(start, readme.indexOf("```", start));
        Path src = dir.resolve("Example.java");
        Files.write(src, code.getBytes(StandardCharsets.UTF_8));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK (javax.tools)");
        String cp = System.getProperty("java.class.path");
        assertEquals(0, javac.run(null, null, null, "-cp", cp, "-d", dir.toString(), src.toString()));

        try (Fake fake = Fake.guids()) {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", dir + File.pathSeparator + cp, "Example");
            pb.directory(dir.toFile());
            pb.environment().put("CXREPORTS_URL", fake.url);
            pb.environment().put("CXREPORTS_TOKEN", fake.token);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    out.append(l).append('\n');
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String o = out.toString();
            assertEquals(0, p.exitValue(), o);
            assertTrue(o.contains("3 workspaces"), o);
            assertTrue(o.contains("report.pdf: "), o);
            assertTrue(o.contains("themes in workspace \"sales team\""), o);
            assertTrue(o.contains("no report 999999: HTTP 404"), o);
            assertTrue(Files.size(dir.resolve("report.pdf")) > 0);
        }
    }
}
