package org.cmtp.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.ejb.EJBException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.Response;

import org.cmtp.server.account.AccountException;
import org.cmtp.server.user.UserAccessException;
import org.cmtp.web.api.dto.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every failure of the web APIs comes out as the same problem document, made by {@link ProblemMapper}. */
class ProblemMappersTest {

    @Test
    void aProblemIsSentAsProblemJsonWithItsStatusTitleDetailAndField() {
        Response response = new ProblemMapper().toResponse(ProblemException.notFound("id", "no message 7 in the relay queue"));
        assertEquals(404, response.getStatus());
        assertEquals("application/problem+json", response.getMediaType().toString());
        Problem problem = (Problem) response.getEntity();
        assertEquals("about:blank", problem.type);
        assertEquals("Not Found", problem.title);
        assertEquals(404, problem.status);
        assertEquals("no message 7 in the relay queue", problem.detail);
        assertEquals("id", problem.field);
    }

    @ParameterizedTest
    @CsvSource({"INVALID, 400, Bad Request", "EXISTS, 409, Conflict", "NOT_FOUND, 404, Not Found"})
    void anAccountFailureKeepsItsFieldAndMessage(AccountException.Kind kind, int status, String title) {
        Response response = new ProblemMappers.Accounts().toResponse(new AccountException(kind, "name", "about bob"));
        assertProblem(response, status, title, "about bob", "name");
    }

    @ParameterizedTest
    @CsvSource({"INVALID, 400", "UNAUTHENTICATED, 401", "NOT_FOUND, 404", "TOO_MANY, 429", "TOO_LARGE, 413"})
    void aUserAccessFailureGetsItsStatus(UserAccessException.Kind kind, int status) {
        ProblemException problem = ProblemMappers.forUser(new UserAccessException(kind, "ids", "why"));
        assertEquals(status, problem.status());
        assertEquals(Response.Status.fromStatusCode(status).getReasonPhrase(), problem.title());
        assertEquals("ids", problem.field());
    }

    @Test
    void anApplicationFailureWrappedByEjbsIsUnwrapped() {
        EJBException wrapped = new EJBException(new EJBException(
                new AccountException(AccountException.Kind.EXISTS, "name", "an account named 'bob' exists")));
        assertProblem(new ProblemMappers.Ejb().toResponse(wrapped), 409, "Conflict", "an account named 'bob' exists", "name");
        ProblemException thrown = ProblemException.badRequest("max", "too many");
        assertSame(thrown, ProblemMappers.forEjb(new EJBException(thrown)));
    }

    @Test
    void anyOtherEjbFailureIsA500ThatTellsNothingOfItsCause() {
        Response response = new ProblemMappers.Ejb().toResponse(new EJBException(new IllegalStateException("secret path")));
        assertProblem(response, 500, "Internal Server Error", "the server failed: see its log", null);
    }

    @Test
    void theContainersRefusalsKeepTheirStatus() {
        Response response = new ProblemMappers.WebApplication().toResponse(new NotAllowedException("GET"));
        assertEquals(405, response.getStatus());
        assertEquals("application/problem+json", response.getMediaType().toString());
        assertEquals("Method Not Allowed", ((Problem) response.getEntity()).title);
    }

    @Test
    void anUnreadableBodyIsA400() {
        Response response = new ProblemMappers.Json().toResponse(new jakarta.json.bind.JsonbException("unexpected char"));
        assertProblem(response, 400, "Bad Request", "the body is not valid JSON for this request", null);
    }

    private static void assertProblem(Response response, int status, String title, String detail, String field) {
        assertEquals(status, response.getStatus());
        assertEquals("application/problem+json", response.getMediaType().toString());
        Problem problem = (Problem) response.getEntity();
        assertEquals(status, problem.status);
        assertEquals(title, problem.title);
        assertEquals(detail, problem.detail);
        if (field == null) {
            assertNull(problem.field);
        } else {
            assertEquals(field, problem.field);
        }
    }
}
