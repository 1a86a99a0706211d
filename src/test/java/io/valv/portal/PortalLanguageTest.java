package io.valv.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PortalLanguageTest {

    @Test
    void theSwitchWinsOverTheCookieAndTheBrowser() {
        assertEquals(PortalLanguage.SWEDISH, PortalLanguage.resolve("sv", "en", "en-GB"));
        assertEquals(PortalLanguage.ENGLISH, PortalLanguage.resolve("en", "sv", "sv-SE"));
    }

    @Test
    void theCookieWinsOverTheBrowser() {
        assertEquals(PortalLanguage.SWEDISH, PortalLanguage.resolve(null, "sv", "en-US,en;q=0.9"));
    }

    @Test
    void theBrowsersFirstSupportedLanguageIsTaken() {
        assertEquals(PortalLanguage.SWEDISH, PortalLanguage.resolve(null, null, "sv-SE,sv;q=0.9,en;q=0.8"));
        assertEquals(PortalLanguage.SWEDISH, PortalLanguage.resolve(null, null, "de-DE,sv;q=0.7,en;q=0.5"));
        assertEquals(PortalLanguage.ENGLISH, PortalLanguage.resolve(null, null, "en-US,sv;q=0.5"));
    }

    @Test
    void anythingElseIsEnglish() {
        assertEquals(PortalLanguage.ENGLISH, PortalLanguage.resolve(null, null, null));
        assertEquals(PortalLanguage.ENGLISH, PortalLanguage.resolve("fr", "<script>", "de-DE"));
        assertEquals(PortalLanguage.ENGLISH, PortalLanguage.resolve("sv-SE'", null, ";;;q=x"));
        assertEquals(PortalLanguage.ENGLISH, PortalLanguage.resolve(null, null, "sv;q=0"));
    }
}
