-- Each team's own rows of counts (worker_id 'team:<name>'): its members' rows added up, so a
-- team's dashboard reads as few rows as the whole organisation's (a team of five read each
-- member's rows: 228 ms at a million conversations). Kept with each day's rebuild, and rebuilt
-- for a team when someone joins or leaves it. Built here from the counts already kept.
INSERT INTO intelligence_counts (organisation_id, grain, day, area_id, worker_id, kind, theme_id, service_id, conversations, talked, with_issues, resolved, referred, issues, repeats_30, repeats_90, came_back_30, came_back_90, heard_1, heard_2, heard_3, heard_4, heard_5, preferences, consented, interested, placed, we_open, we_kept, we_not_kept, we_not_needed, you_open, you_kept, you_not_kept, you_not_needed, referrals_answered, referrals_declined, referrals_waiting, referral_days)
SELECT c.organisation_id, c.grain, c.day, c.area_id, 'team:' || u.team, c.kind, c.theme_id, c.service_id, SUM(c.conversations), SUM(c.talked), SUM(c.with_issues), SUM(c.resolved), SUM(c.referred), SUM(c.issues), SUM(c.repeats_30), SUM(c.repeats_90), SUM(c.came_back_30), SUM(c.came_back_90), SUM(c.heard_1), SUM(c.heard_2), SUM(c.heard_3), SUM(c.heard_4), SUM(c.heard_5), SUM(c.preferences), SUM(c.consented), SUM(c.interested), SUM(c.placed), SUM(c.we_open), SUM(c.we_kept), SUM(c.we_not_kept), SUM(c.we_not_needed), SUM(c.you_open), SUM(c.you_kept), SUM(c.you_not_kept), SUM(c.you_not_needed), SUM(c.referrals_answered), SUM(c.referrals_declined), SUM(c.referrals_waiting), SUM(c.referral_days)
FROM intelligence_counts c JOIN users u ON u.id = c.worker_id AND u.organisation_id = c.organisation_id
WHERE u.team <> ''
GROUP BY c.organisation_id, c.grain, c.day, c.area_id, u.team, c.kind, c.theme_id, c.service_id;
