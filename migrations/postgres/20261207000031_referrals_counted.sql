-- What became of each referral counted with the conversation that made it (issue 18): answered,
-- declined, still waiting, and the whole days the answered ones waited. The dashboard's
-- referrals table read every referral before (122 ms of its 237 ms at a million
-- conversations); it now reads the counts. A referral's step marks its conversation's day for a
-- rebuild. The index that served the old query goes (every sync paid for it). The counts are
-- emptied here and rebuilt from the conversations at the next start.
ALTER TABLE intelligence_counts ADD COLUMN referrals_answered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN referrals_declined BIGINT NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN referrals_waiting BIGINT NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN referral_days BIGINT NOT NULL DEFAULT 0;
DROP INDEX referrals_figures;
DELETE FROM intelligence_counts;
DELETE FROM intelligence_dirty;
