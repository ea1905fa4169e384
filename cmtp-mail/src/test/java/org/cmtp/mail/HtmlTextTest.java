package org.cmtp.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTextTest {

    @Test
    void blocksBecomeLinesAndMarkupGoes() {
        assertEquals("Order\n\nTea & biscuits\n\n- one\n- two",
                HtmlText.of("<html><head><title>t</title><style>p{color:red}</style></head><body><h1>Order</h1>"
                        + "<p>Tea &amp; biscuits</p><ul><li>one</li><li>two</li></ul></body></html>"));
    }

    @Test
    void sourceLineBreaksAreSpacesAndBrIsALineBreak() {
        assertEquals("Hello Bob,\nsee you", HtmlText.of("Hello\n   <b>Bob</b>,<br>see\nyou"));
    }

    @Test
    void entitiesBecomeCharactersAndUnknownOnesStay() {
        assertEquals("< > \" ' € € é &bogus; \uFFFD", HtmlText.of("&lt; &gt; &quot; &#39; &#8364; &#x20AC; &#233; &bogus; &#0;"));
    }

    @Test
    void scriptsAndCommentsAreNotText() {
        assertEquals("visible", HtmlText.of("<script>alert('x')</script><!-- hidden -->visible"));
    }
}
