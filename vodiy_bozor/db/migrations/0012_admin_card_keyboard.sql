-- Which keyboard each admin has open under their card of an ad: the two buttons (`decide`),
-- the reject reasons (`reasons`) or the ban reasons (`ban`). A card refresh (the assistant's
-- late hints, a category change) edits the card's text and must send the same keyboard again:
-- an edit without it removes the buttons, one with ✅ ❌ would wipe the reasons the admin is
-- about to tap (https://core.telegram.org/bots/api#editmessagetext). A constant default adds
-- the column without rewriting the table.
ALTER TABLE admin_cards
    ADD COLUMN keyboard text NOT NULL DEFAULT 'decide'
        CHECK (keyboard IN ('decide', 'reasons', 'ban'));
