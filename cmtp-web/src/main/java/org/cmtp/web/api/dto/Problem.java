package org.cmtp.web.api.dto;

/**
 * An RFC 9457 problem document: what went wrong, for people and programs. {@code field}
 * names the request field at fault, when there is one. Made by
 * {@link org.cmtp.web.api.ProblemException}, never by hand.
 */
public class Problem {

    public String type = "about:blank";
    public String title;
    public int status;
    public String detail;
    public String field;
}
