package dev.tokenauth.web;

import static dev.tokenauth.web.FakeRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tokenauth.web.RequestFields.From;
import jakarta.servlet.http.HttpServletRequest;

class RequestFieldsTest {

    private static final Set<String> TOKEN_FIELDS = Set.of("expires_in", "label");

    private static RequestRejected refused(HttpServletRequest request, From from, Set<String> known) {
        return assertThrows(RequestRejected.class, () -> RequestFields.read(request, from, known));
    }

    private static void assertRefused(int status, String msg, HttpServletRequest request, From from,
            Set<String> known) {
        RequestRejected e = refused(request, from, known);
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(msg, e.getMessage());
    }

    @Test
    void aJsonBodyIsReadWithOrWithoutItsContentType() throws Exception {
        for (String type : new String[] {"application/json", "application/json; charset=UTF-8",
                "Application/JSON;charset=\"utf-8\"", null}) {
            RequestFields fields = RequestFields.read(request("POST", null, type,
                    "{\"expires_in\": 60, \"label\": \"ci\"}"), From.QUERY_OR_BODY, TOKEN_FIELDS);
            assertEquals(Duration.ofSeconds(60), fields.seconds("expires_in"), type);
            assertEquals("ci", fields.string("label"), type);
        }
    }

    @Test
    void queryParametersAreReadOnAPostWithoutABody() throws Exception {
        RequestFields fields = RequestFields.read(request("POST", "expires_in=120&label=c%20i", null, ""),
                From.QUERY_OR_BODY, TOKEN_FIELDS);

        assertEquals(Duration.ofSeconds(120), fields.seconds("expires_in"));
        assertEquals("c i", fields.string("label"));
    }

    @Test
    void queryParametersAreReadOnAGet() throws Exception {
        RequestFields fields = RequestFields.read(request("GET", "label=ci", null, null), From.QUERY_OR_BODY,
                TOKEN_FIELDS);

        assertEquals("ci", fields.string("label"));
        assertNull(fields.seconds("expires_in"));
    }

    @Test
    void aFormIsReadWhereTheEndpointReadsForms() throws Exception {
        RequestFields fields = RequestFields.read(request("POST", null, "application/x-www-form-urlencoded",
                "grace_seconds=0&label=new"), From.BODY, Set.of("grace_seconds", "label"));

        assertEquals(Duration.ZERO, fields.seconds("grace_seconds"));
        assertEquals("new", fields.string("label"));
    }

    private static final Set<String> SCOPED = Set.of("label", "scopes");
    private static final Set<String> LISTS = Set.of("scopes");

    @Test
    void aListIsAJsonArrayOfStrings() throws Exception {
        RequestFields fields = RequestFields.read(request("POST", null, "application/json",
                "{\"scopes\": [\"read\", \"write\"]}"), From.QUERY_OR_BODY, SCOPED, LISTS);

        assertEquals(List.of("read", "write"), fields.strings("scopes"));
    }

    @Test
    void aListIsARepeatedFormOrQueryParameterInTheOrderGiven() throws Exception {
        RequestFields form = RequestFields.read(request("POST", null, "application/x-www-form-urlencoded",
                "scopes=write&label=ci&scopes=read"), From.QUERY_OR_BODY, SCOPED, LISTS);
        RequestFields query = RequestFields.read(request("GET", "scopes=read", null, null), From.QUERY_OR_BODY,
                SCOPED, LISTS);

        assertEquals(List.of("write", "read"), form.strings("scopes"));
        assertEquals("ci", form.string("label"));
        assertEquals(List.of("read"), query.strings("scopes"));
    }

    @Test
    void anAbsentListIsNullAndSoIsAJsonNull() throws Exception {
        assertNull(RequestFields.read(request("GET", "label=ci", null, null), From.QUERY_OR_BODY, SCOPED, LISTS)
                .strings("scopes"));
        assertNull(RequestFields.read(request("POST", null, "application/json", "{\"scopes\": null}"),
                From.QUERY_OR_BODY, SCOPED, LISTS).strings("scopes"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"scopes\": \"read\"}", "{\"scopes\": [1]}", "{\"scopes\": [null]}"})
    void aJsonListOfAnythingButStringsIsRefused(String json) throws Exception {
        RequestFields fields = RequestFields.read(request("POST", null, "application/json", json),
                From.QUERY_OR_BODY, SCOPED, LISTS);

        RequestRejected e = assertThrows(RequestRejected.class, () -> fields.strings("scopes"));
        assertEquals(400, e.status());
        assertEquals("Field 'scopes' must be an array of strings.", e.getMessage());
    }

    @Test
    void onlyAListMayBeRepeated() throws Exception {
        RequestRejected e = assertThrows(RequestRejected.class, () -> RequestFields.read(request("GET",
                "scopes=read&label=a&label=b", null, null), From.QUERY_OR_BODY, SCOPED, LISTS));

        assertEquals("Field 'label' is given more than once.", e.getMessage());
    }

    @Test
    void queryAndBodyTogetherAreRefusedRatherThanOneSilentlyWinning() throws Exception {
        assertRefused(400, "Give the fields either in the URL's query or in the body, not both.",
                request("POST", "label=a", "application/json", "{\"expires_in\": 60}"), From.QUERY_OR_BODY,
                TOKEN_FIELDS);
    }

    @Test
    void whereNoQueryIsReadAnyQueryParameterIsRefusedAndATokenThereWithItsOwnMessage() throws Exception {
        assertRefused(400, "This request reads no query parameters: send 'grace_seconds' in the request body.",
                request("POST", "grace_seconds=0", null, ""), From.BODY, Set.of("grace_seconds"));
        assertRefused(400, "Never put a token in a URL: send 'token' in the request body.",
                request("POST", "token=tka_x", "application/json", "{}"), From.JSON_BODY, Set.of("token"));
        assertRefused(400, "This request takes no fields; 'x' is not read.",
                request("GET", "x=1", null, null), From.QUERY, Set.of());
    }

    @Test
    void anUnknownFieldIsRefusedNamingWhatIsRead() throws Exception {
        assertRefused(400, "Unknown field 'expire_in'; this request reads expires_in, label.",
                request("POST", null, "application/json", "{\"expire_in\": 60}"), From.QUERY_OR_BODY, TOKEN_FIELDS);
        assertRefused(400, "Unknown field 'lable'; this request reads expires_in, label.",
                request("GET", "lable=x", null, null), From.QUERY_OR_BODY, TOKEN_FIELDS);
        assertRefused(400, "This request takes no fields; 'username' is not read.",
                request("POST", null, "application/json", "{\"username\": \"bob\"}"), From.JSON_BODY, Set.of());
    }

    @Test
    void aFieldGivenTwiceInTheQueryOrInAFormIsRefused() throws Exception {
        assertRefused(400, "Field 'label' is given more than once.",
                request("GET", "label=a&label=b", null, null), From.QUERY_OR_BODY, TOKEN_FIELDS);
        assertRefused(400, "Field 'label' is given more than once.",
                request("POST", null, "application/x-www-form-urlencoded", "label=a&label=b"), From.BODY,
                TOKEN_FIELDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"token\": \"t\"}", " [1]", "{"})
    void jsonSentAsAFormIsA400OnEveryKindOfEndpoint(String body) throws Exception {
        for (From from : new From[] {From.JSON_BODY, From.BODY, From.QUERY_OR_BODY}) {
            assertRefused(400, "The body is JSON sent as a form: send it with Content-Type: application/json.",
                    request("POST", null, "application/x-www-form-urlencoded", body), from, Set.of("token"));
        }
    }

    @Test
    void aFormWhereOnlyJsonIsReadIsA415() throws Exception {
        assertRefused(415, "Send a JSON body (Content-Type: application/json).",
                request("POST", null, "application/x-www-form-urlencoded", "username=bob"), From.JSON_BODY,
                Set.of("username"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/xml", "multipart/form-data; boundary=x", "application/jsonx",
        "text/json"})
    void aBodyOfAnotherMediaTypeIsA415EvenWhenItIsJson(String type) throws Exception {
        assertRefused(415, "Send a JSON body (Content-Type: application/json).",
                request("POST", null, type, "{\"username\": \"bob\"}"), From.JSON_BODY, Set.of("username"));
        assertRefused(415, "Send the parameters as JSON (Content-Type: application/json) or as a form.",
                request("POST", null, type, "{\"label\": \"x\"}"), From.BODY, TOKEN_FIELDS);
    }

    @Test
    void jsonInAnotherCharsetIsA415() throws Exception {
        assertRefused(415, "JSON is read in UTF-8 only.",
                request("POST", null, "application/json; charset=ISO-8859-1", "{}"), From.JSON_BODY, Set.of());
    }

    @Test
    void anEmptyBodyHasNoFieldsWhateverItsType() throws Exception {
        for (String type : new String[] {null, "application/json", "text/plain"}) {
            RequestFields fields = RequestFields.read(request("POST", null, type, " "), From.JSON_BODY,
                    Set.of("username"));
            assertFalse(fields.has("username"));
        }
    }

    @Test
    void formValuesAreTypedAsTheirFieldsAre() throws Exception {
        RequestFields fields = RequestFields.read(request("GET", "expires_in=ten", null, null), From.QUERY_OR_BODY,
                TOKEN_FIELDS);
        assertEquals("Field 'expires_in' must be a whole number.",
                assertThrows(RequestRejected.class, () -> fields.number("expires_in")).getMessage());

        RequestFields admin = RequestFields.read(request("GET", "admin=TRUE", null, null), From.QUERY,
                Set.of("admin"));
        assertTrue(admin.flag("admin", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%EF%BC%95", "6%EF%BC%90", "%D9%A5", "%E0%A5%AA%E0%A5%A8", "%2B5", "5%200", "0x10", "1e3",
        "99999999999999999999", ""})
    void aNumberInAFormOrQueryIsAsciiDigitsOnly(String encoded) throws Exception {
        RequestFields query = RequestFields.read(request("GET", "expires_in=" + encoded, null, null),
                From.QUERY_OR_BODY, TOKEN_FIELDS);
        RequestFields form = RequestFields.read(request("POST", null, "application/x-www-form-urlencoded",
                "grace_seconds=" + encoded), From.BODY, Set.of("grace_seconds"));

        assertEquals("Field 'expires_in' must be a whole number.",
                assertThrows(RequestRejected.class, () -> query.number("expires_in")).getMessage(), encoded);
        assertEquals("Field 'grace_seconds' must be a whole number.",
                assertThrows(RequestRejected.class, () -> form.seconds("grace_seconds")).getMessage(), encoded);
    }

    @Test
    void aNumberInAFormOrQueryMayBeNegativeAsInJsonForTheRulesToRefuse() throws Exception {
        RequestFields fields = RequestFields.read(request("GET", "expires_in=-5", null, null), From.QUERY_OR_BODY,
                TOKEN_FIELDS);
        RequestFields padded = RequestFields.read(request("GET", "expires_in=+0120+", null, null), From.QUERY_OR_BODY,
                TOKEN_FIELDS);

        assertEquals(-5L, fields.number("expires_in"));
        assertEquals(Duration.ofSeconds(120), padded.seconds("expires_in"));
    }

    @Test
    void aJsonBodyOver64KiBIsA413() throws Exception {
        assertRefused(413, "Request body is larger than 65536 bytes.",
                request("POST", null, "application/json", "{\"label\":\"" + "x".repeat(70_000) + "\"}"), From.BODY,
                TOKEN_FIELDS);
    }
}
