from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.masker import MASKED_TEXT, mask_message, masked


def test_values_are_replaced_by_placeholders():
    assert masked("falsch@example.com") == "emailadresse"
    assert masked("Bestellung KD-100234 bitte") == "Bestellung bestellnummer bitte"
    assert masked("keine Nummer 12345 hier") == "keine Nummer 12345 hier"


def test_tokens_are_masked_but_offsets_kept():
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.tokenizers.tokenizer import Token
    from rasa.shared.nlu.constants import TEXT

    text = "mail falsch@example.com"
    message = Message({TEXT: text})
    message.set(TOKENS_NAMES[TEXT], [Token("mail", 0), Token("falsch@example.com", 5)])
    mask_message(message)
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == ["mail", "emailadresse"]
    assert tokens[1].start == 5 and tokens[1].end == len(text)
    assert message.get(MASKED_TEXT) == "mail emailadresse"
    assert SpacyTokenizer  # the pipeline's tokenizer class stays importable
