package io.valv.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.qute.i18n.Message;

/** Every word of the staff pages has its Swedish, and the Swedish uses the same parameters. No Quarkus needed. */
class StaffMessagesTest {

    @Test
    void everyKeyHasItsSwedishWithTheSameParameters() throws IOException {
        Properties swedish = new Properties();
        try (Reader in = new InputStreamReader(
                StaffMessagesTest.class.getResourceAsStream("/messages/staff_sv.properties"), StandardCharsets.UTF_8)) {
            swedish.load(in);
        }
        Set<String> keys = Arrays.stream(StaffMessages.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Message.class)).map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(keys, new TreeSet<>(swedish.stringPropertyNames()), "the same keys in English and Swedish");
        for (Method method : StaffMessages.class.getDeclaredMethods()) {
            String text = swedish.getProperty(method.getName());
            assertFalse(text.isBlank(), method.getName());
            for (Parameter parameter : method.getParameters()) {
                assertTrue(text.contains(parameter.getName()), method.getName() + " uses " + parameter.getName());
            }
        }
    }
}
