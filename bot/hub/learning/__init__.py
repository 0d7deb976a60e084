"""The learning loop ("Nicht verstanden"): customer messages the bot did not understand, grouped by
similarity, reviewed by agents (the right intent, or noise) and written as Rasa NLU training data
(data/nlu/learned.yml), which the next `make train` picks up."""
