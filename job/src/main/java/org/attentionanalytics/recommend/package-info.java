/**
 * Recommendations (DESIGN.md section 12): item-to-item collaborative filtering over session
 * co-occurrence (Linden, Smith and York, "Amazon.com recommendations: item-to-item collaborative
 * filtering", IEEE Internet Computing 2003), with state bounded as in Schelter, Celebi and Dunning's
 * incremental co-occurrence analysis (caps per user and per item, top-k neighbours per item). Plain
 * Java engines ({@link org.attentionanalytics.recommend.ItemTable}, {@link
 * org.attentionanalytics.recommend.UserHistory}, {@link org.attentionanalytics.recommend.Ranking},
 * {@link org.attentionanalytics.recommend.Popularity}) and the Flink adapters around them.
 */
package org.attentionanalytics.recommend;
