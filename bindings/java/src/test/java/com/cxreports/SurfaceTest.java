package com.cxreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The loaded library's cx_methods() against this jar's table (tools/surface checks the
 * sources; this checks the library the jar carries), and every entry reachable as a public
 * method and its Async form.
 */
class SurfaceTest {
    @Test
    void theLoadedLibraryHasTheJarsMethods() {
        JsonNode table = Json.parse(NativeLib.take(NativeLib.cx().cx_methods()));
        Set<String> seen = new HashSet<>();
        for (JsonNode m : table.path("methods")) {
            String java = m.path("names").path("node").asText();
            Methods.Spec s = Methods.spec(java);
            assertEquals(m.path("name").asText(), s.method, java);
            assertEquals(m.path("kind").asText().toUpperCase(Locale.ROOT), s.kind.name(), java);
            assertEquals(m.path("progress").asBoolean(), s.progress, java);
            seen.add(java);
        }
        assertEquals(Methods.all().keySet(), seen);
        assertEquals(NativeLib.ABI_VERSION, CxReportsClient.libraryVersion().path("abi").asInt());
        assertEquals("0.1.0", CxReportsClient.libraryVersion().path("version").asText());
    }

    @Test
    void everyEntryIsAPublicMethodAndItsAsyncForm() {
        for (String name : Methods.all().keySet()) {
            Method sync = null;
            Method async = null;
            for (Method m : CxReportsClient.class.getMethods()) {
                if (m.getName().equals(name) && Modifier.isPublic(m.getModifiers())) {
                    sync = m;
                }
                if (m.getName().equals(name + "Async")) {
                    async = m;
                    assertTrue(CompletableFuture.class.isAssignableFrom(m.getReturnType()), m.toString());
                }
            }
            assertNotNull(sync, name);
            assertNotNull(async, name + "Async");
        }
    }
}
