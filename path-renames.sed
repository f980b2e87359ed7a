# Core's flat modules -> its folders (branch core-shape). Replay on the app, the receiver and tests:
#   sed -i -E -f path-renames.sed $(grep -rl 'safewalk_core::' --include=*.rs src server tests)
# Idempotent: no new path starts with an old one. Order matters: the specific lines first.
# One import line that names items now in two modules:
s#^use safewalk_core::attachment::\{Attachment, AttachmentKind, AttachmentReceipt, Position, Signer, SignerRole\};#use safewalk_core::delivery::payload::AttachmentReceipt;\nuse safewalk_core::inspection::attachment::{Attachment, AttachmentKind, Position, Signer, SignerRole};#
# Items that moved to another module than their old module's new home:
s#safewalk_core::attachment::AttachmentReceipt\b#safewalk_core::delivery::payload::AttachmentReceipt#g
s#safewalk_core::completion::is_valid_date\b#safewalk_core::dates::is_valid_date#g
s#safewalk_core::completion::SiteField\b#safewalk_core::inspection::SiteField#g
s#safewalk_core::follow_up::start_follow_up\b#safewalk_core::rectification::follow_up::start_follow_up#g
# Whole modules:
s#safewalk_core::attachment\b#safewalk_core::inspection::attachment#g
s#safewalk_core::hazard\b#safewalk_core::inspection::hazard#g
s#safewalk_core::follow_up\b#safewalk_core::inspection::follow_up#g
s#safewalk_core::completion\b#safewalk_core::grading::completion#g
s#safewalk_core::register\b#safewalk_core::rectification::register#g
s#safewalk_core::template\b#safewalk_core::catalogue::template#g
s#safewalk_core::library\b#safewalk_core::catalogue::library#g
s#safewalk_core::outbox\b#safewalk_core::delivery::outbox#g
s#safewalk_core::payload\b#safewalk_core::delivery::payload#g
s#safewalk_core::settings\b#safewalk_core::delivery::settings#g
s#safewalk_core::export\b#safewalk_core::exchange::export#g
s#safewalk_core::backup\b#safewalk_core::exchange::backup#g
