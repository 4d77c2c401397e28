# Sources of core/services/elevenlabs, added to breakwater_core.
target_sources(breakwater_core PRIVATE
)
