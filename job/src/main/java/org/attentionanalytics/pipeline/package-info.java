/**
 * What the graph's steps share and the outside world sees: operator uids ({@link
 * org.attentionanalytics.pipeline.Uids}) and names ({@link
 * org.attentionanalytics.pipeline.StepNames}), side-output tags ({@link
 * org.attentionanalytics.pipeline.SideOutputs}) and metric names ({@link
 * org.attentionanalytics.pipeline.PipelineCounters}). Depends on the Avro records only, so every
 * operator package can use it without depending on the job that assembles them.
 */
package org.attentionanalytics.pipeline;
