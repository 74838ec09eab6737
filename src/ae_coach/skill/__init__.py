"""The Agent Skill: SKILL.md and rules/ checked (:mod:`.check`), installed and packaged (:mod:`.install`)."""
