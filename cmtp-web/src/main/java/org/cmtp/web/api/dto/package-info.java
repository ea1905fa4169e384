/**
 * What the administration API sends and receives as JSON, and nothing else: plain classes
 * with public fields, so that a change to the wire format shows up here and not in the
 * middle of a resource's logic. JSON-B orders the fields by name.
 */
package org.cmtp.web.api.dto;
