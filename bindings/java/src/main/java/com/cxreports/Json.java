package com.cxreports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one ObjectMapper. Results keep what the server sent: floats are read as BigDecimal
 * with their scale (1.50 stays 1.50, no double rounding), big integers as BigInteger,
 * object members in the server's order (ObjectNode is ordered), unknown members kept.
 */
final class Json {
    private Json() {}

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidResponseException("cxreports: the library returned text that is not JSON: "
                    + e.getOriginalMessage(), "internal", 0, "", "", false, "", "");
        }
    }

    /** A caller's value (Map, List, JsonNode, POJO) as JSON, or invalid_argument naming it. */
    static JsonNode tree(String what, Object value) {
        if (value instanceof JsonNode) {
            return (JsonNode) value;
        }
        try {
            return MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cxreports: " + what + " cannot be sent as JSON: " + e.getMessage(),
                    "invalid_argument", 0, "", "", false, "", "");
        }
    }

    static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("cxreports: the arguments cannot be written as JSON: "
                    + e.getOriginalMessage(), "invalid_argument", 0, "", "", false, "", "");
        }
    }
}
